package dev.stampede.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Debian's nginx started for an integration test with a configuration written by the test, on free
 * loopback ports, and stopped on {@link #close}. Without nginx the test is skipped, except under CI
 * ({@code CI=true}), where a missing server is a failure: CI must run these tests.
 */
public final class Nginx implements AutoCloseable {

  public static final String BINARY = "/usr/sbin/nginx";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private final Process process;
  private final Path dir;

  private Nginx(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /**
   * The path of {@code binary} (Debian package {@code packageName}); skips the test when it is not
   * installed, or fails it when {@code CI=true}.
   */
  public static Path require(String binary, String packageName) {
    Path path = Path.of(binary);
    if (!Files.isExecutable(path)) {
      String message = binary + " is not installed (apt-get install " + packageName
          + ", or scripts/install-test-tools.sh)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + "; CI=true, so this is a failure, not a skip");
      }
      assumeTrue(false, message + "; skipping");
    }
    return path;
  }

  /** A port that was free a moment ago on 127.0.0.1, and not handed out before by this method. */
  public static synchronized int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Starts nginx with {@code serverBlocks} (the {@code server { ... }} blocks of the {@code http}
   * context) in {@code dir}, and waits until every port in {@code ports} accepts connections. The
   * access log, {@code dir/access.log}, has the format {@code t}:
   * {@code connection connection_requests protocol ssl_protocol uri request_time end_msec ssl_client_verify ssl_session_reused}.
   */
  public static Nginx start(Path dir, String serverBlocks, List<Integer> ports) throws IOException, InterruptedException {
    Path binary = require(BINARY, "nginx");
    Files.createDirectories(dir);
    String config = """
        worker_processes 1;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        events { worker_connections 1024; }
        http {
          log_format t '$connection $connection_requests $server_protocol $ssl_protocol $uri '
                       '$request_time $msec $ssl_client_verify $ssl_session_reused';
          access_log %1$s/access.log t;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          keepalive_requests 100000;
        %2$s
        }
        """.formatted(dir, serverBlocks);
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, config);
    Process process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Nginx nginx = new Nginx(process, dir);
    try {
      nginx.awaitPorts(ports);
    } catch (RuntimeException | InterruptedException e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  /** The access log's lines so far (nginx writes each when its request completes). */
  public List<String> accessLog() throws IOException {
    Path log = dir.resolve("access.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** The error log so far, for failure messages. */
  public String errorLog() {
    try {
      return Files.readString(dir.resolve("error.log")) + Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitPorts(List<Integer> ports) throws InterruptedException {
    for (int port : ports) {
      try {
        await("nginx listening on " + port).atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(50))
            .failFast("nginx exited", () -> !process.isAlive()).until(() -> listening(port));
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + errorLog());
        }
        throw new IllegalStateException("nginx not listening on " + port + ":\n" + errorLog());
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
