package dev.stampede.listener.influx;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Debian's {@code influxd} (1.6.x) run for a test: a generated config with every listening port on
 * a free loopback port, meta/data/wal in a temporary directory, reporting disabled. {@link #stop()}
 * and {@link #start()} may be called repeatedly (same ports, same data); {@link #close()} kills the
 * process and deletes the directory. Tests skip (assumption) when the binary is missing.
 */
final class InfluxServer implements AutoCloseable {

  static final Path BINARY = Path.of(System.getProperty("stampede.influxd", "/usr/bin/influxd"));
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int httpPort;
  private String user;
  private String password;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  private InfluxServer(Path dir, int httpPort) {
    this.dir = dir;
    this.httpPort = httpPort;
  }

  /** Starts a fresh server without authentication, or skips the test when {@code influxd} is not installed. */
  static InfluxServer startFresh() throws IOException, InterruptedException {
    return startFresh(null, null);
  }

  /**
   * Starts a fresh server; with a {@code user}, HTTP authentication is on and {@code user} is an
   * admin with {@code password}, and this class's own queries authenticate as it.
   */
  static InfluxServer startFresh(String user, String password) throws IOException, InterruptedException {
    dev.stampede.testkit.RequiredTool.assumeInstalled(BINARY, "apt-get install influxdb");
    Path dir = Files.createTempDirectory("stampede-influxd-");
    int httpPort = freePort();
    int rpcPort = freePort();
    String config = """
        reporting-disabled = true
        bind-address = "127.0.0.1:%d"

        [meta]
          dir = "%s"
        [data]
          dir = "%s"
          wal-dir = "%s"
          query-log-enabled = false
        [monitor]
          store-enabled = false
        [http]
          enabled = true
          bind-address = "127.0.0.1:%d"
          log-enabled = false
          auth-enabled = %b
        [logging]
          level = "warn"
        [subscriber]
          enabled = false
        [continuous_queries]
          enabled = false
        """.formatted(rpcPort, dir.resolve("meta"), dir.resolve("data"), dir.resolve("wal"), httpPort,
            user != null);
    Files.writeString(dir.resolve("influxdb.conf"), config);
    InfluxServer server = new InfluxServer(dir, httpPort);
    try {
      server.start();
      if (user != null) {
        // Allowed without credentials while the server has no user yet.
        server.query("", "CREATE USER \"" + user + "\" WITH PASSWORD '" + password + "' WITH ALL PRIVILEGES");
        server.user = user;
        server.password = password;
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Starts (or restarts) the process and waits until {@code /ping} answers. */
  void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("influxd is already running");
    }
    process = new ProcessBuilder(BINARY.toString(), "run", "-config", dir.resolve("influxdb.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("influxd.log").toFile())
        .start();
    try {
      await("influxd answering /ping").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50))
          .failFast("influxd exited", () -> !process.isAlive()).until(this::ping);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      if (!process.isAlive()) {
        throw new IllegalStateException("influxd exited with " + process.exitValue() + ": " + log());
      }
      throw new IllegalStateException("influxd did not answer /ping within " + READY_TIMEOUT + ": " + log());
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Whether {@code /ping} answers 204. */
  boolean ping() {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 204;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs an InfluxQL query against {@code db} and returns the first statement's result. */
  JsonNode query(String db, String influxql) throws IOException, InterruptedException {
    String body = "db=" + URLEncoder.encode(db, StandardCharsets.UTF_8)
        + "&q=" + URLEncoder.encode(influxql, StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/query"));
    if (user != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response = http.send(request
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(response.body()).path("results").path(0);
    if (response.statusCode() != 200 || result.has("error")) {
      throw new IllegalStateException("query " + influxql + " failed: HTTP " + response.statusCode() + " "
          + response.body());
    }
    return result;
  }

  /** The single number a query such as {@code SELECT sum(x) ...} returns, 0 when it returns no rows. */
  double scalar(String db, String influxql) throws IOException, InterruptedException {
    JsonNode values = query(db, influxql).path("series").path(0).path("values");
    if (values.isMissingNode() || values.isEmpty()) {
      return 0;
    }
    return values.path(0).path(1).asDouble();
  }

  /** Every value of one column over every returned series. */
  List<String> column(String db, String influxql, String column) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode series : query(db, influxql).path("series")) {
      int index = -1;
      JsonNode columns = series.path("columns");
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).asText().equals(column)) {
          index = i;
        }
      }
      for (JsonNode row : series.path("values")) {
        out.add(row.path(index).asText());
      }
    }
    return out;
  }

  String log() {
    try {
      String text = Files.readString(dir.resolve("influxd.log"));
      return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
