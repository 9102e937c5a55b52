package dev.stampede.listener.prometheus;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A Debian-packaged server ({@code prometheus}, {@code prometheus-pushgateway}) started on a free
 * loopback port for an integration test, and stopped (also when the test fails) on {@link #close}.
 * Tests are skipped, not failed, when the binary is not installed.
 */
final class ServerProcess implements AutoCloseable {

  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Skips the test (assumption) when {@code binary} is not installed; fails it with {@code CI=true}. */
  static void assumeInstalled(String binary) {
    dev.stampede.testkit.RequiredTool.assumeInstalled(Path.of(binary), "apt-get install " + Path.of(binary).getFileName());
  }

  /** A port that was free a moment ago on 127.0.0.1, and not handed out before by this method. */
  static synchronized int freePort() {
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
   * Starts {@code binary} with {@code args} plus {@code --web.listen-address=127.0.0.1:PORT}, logging
   * to a file in {@code dir}, and waits until {@code GET /-/ready} answers 200.
   */
  static ServerProcess start(String binary, Path dir, List<String> args) throws IOException, InterruptedException {
    assumeInstalled(binary);
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
    command.add("--web.listen-address=127.0.0.1:" + port);
    Path log = dir.resolve(Path.of(binary).getFileName() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(process, port, log);
    try {
      server.awaitReady();
    } catch (RuntimeException | Error | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The server's output so far, for failure messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitReady() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).timeout(Duration.ofSeconds(2)).build();
    try {
      // An IOException means not listening yet.
      await("the server ready").atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(IOException.class).failFast("the server exited", () -> !process.isAlive())
          .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
      }
      throw new IllegalStateException("server not ready within " + STARTUP_TIMEOUT + ":\n" + log());
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
