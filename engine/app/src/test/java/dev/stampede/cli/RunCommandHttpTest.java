package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The HTTP client options of {@code stampede run}, checked on what a loopback target received. */
class RunCommandHttpTest {

  @TempDir
  Path dir;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();
  private HttpServer server;
  /** The Authorization header of every request the target received ("-" when none). */
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Released when the test ends, so that stalled exchanges end too. */
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void startTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "-" : authorization);
      if (exchange.getRequestURI().getPath().startsWith("/stall")) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(body);
      } catch (IOException e) {
        // the client gave up on a stalled response
      }
    });
    server.start();
  }

  @AfterEach
  void stopTarget() {
    release.countDown();
    server.stop(0);
  }

  private String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The environment the run command sees. */
  private java.util.Map<String, String> environment = java.util.Map.of();

  private int run(String... args) {
    CommandLine commandLine = Stampede.commandLine();
    ((RunCommand) commandLine.getSubcommands().get("run").getCommand()).environment = environment;
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(out, true));
    return commandLine.execute(args);
  }

  @Test
  void sendsTheHostsCredentialsAsBasicAuthAndShowsThemNowhere() throws IOException {
    Path json = dir.resolve("result.json");
    Path html = dir.resolve("report.html");
    Path requests = dir.resolve("requests.csv");

    int code = run("run", "--host", "http://admin:hunter2@" + target(), "--url", "/ok", "--run-time", "1s",
        "--json", json.toString(), "--html", html.toString(), "--requests-log", requests.toString(),
        "--csv", dir.resolve("stats").toString());

    assertThat(code).isZero();
    assertThat(authorizations).isNotEmpty().containsOnly("Basic YWRtaW46aHVudGVyMg==");
    assertThat(out.toString() + err).contains("against http://***@" + target()).doesNotContain("hunter2");
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("hunter2").doesNotContain("YWRtaW46");
      }
    }
  }

  @Test
  void anInvalidHostIsRefusedWithoutShowingItsCredentials() {
    assertThat(run("run", "--url", "/", "--host", "ftp://admin:hunter2@" + target())).isEqualTo(2);
    assertThat(err.toString()).contains("--host ftp://***@" + target()).doesNotContain("hunter2");
  }

  @Test
  void aRunWhoseRequestsAllStalledCountsThemCancelledAndFailsAsNothingMeasured() throws IOException {
    Path json = dir.resolve("result.json");

    int code = run("run", "--host", "http://" + target(), "--url", "/stall", "--users", "2", "--spawn-rate", "100", "--run-time", "2s",
        "--fail-on-failures", "--json", json.toString());

    assertThat(code).isEqualTo(ExitCode.CANNOT_RUN);
    assertThat(authorizations).hasSize(2);
    assertThat(err.toString()).contains("stampede: FAILED: nothing was measured: no request completed (2 cancelled at stop)");
    assertThat(out.toString()).contains("Cancelled at stop: 2");
    var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertThat(result.get("cancelled_at_stop").asLong()).isEqualTo(2);
    assertThat(result.get("total").get("count").asLong()).isZero();
  }

  @Test
  void timeoutSetsTheResponseTimeoutOfUrlMode() throws IOException {
    Path json = dir.resolve("result.json");

    int code = run("run", "--host", "http://" + target(), "--url", "/stall", "--run-time", "2s", "--timeout", "300ms",
        "--fail-on-failures", "--json", json.toString(), "--quiet");

    assertThat(code).isEqualTo(ExitCode.FAILED);
    var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    long failed = result.get("total").get("failures").asLong();
    assertThat(failed).isPositive();
    assertThat(authorizations.size()).as("the target saw each timed-out request, and the one cut off at stop")
        .isBetween((int) failed, (int) failed + 1);
    assertThat(result.get("failures").get(0).get("error").asText()).isEqualTo("response timed out after 300 ms");
  }

  @Test
  void refusesANonPositiveTimeout() {
    assertThat(run("run", "--host", "http://" + target(), "--url", "/", "--timeout", "0s", "--connect-timeout", "0s"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--timeout must be > 0 but was PT0S")
        .contains("--connect-timeout must be > 0 but was PT0S");
    assertThat(authorizations).isEmpty();
  }

  @Test
  void sendsRequestsThroughTheEnvironmentsProxy() throws IOException {
    try (dev.stampede.http.TestProxy proxy = new dev.stampede.http.TestProxy()) {
      environment = java.util.Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port());

      int code = run("run", "--host", "http://" + target(), "--url", "/via-env", "--run-time", "1s", "--quiet");

      assertThat(code).isZero();
      assertThat(proxy.requestLines()).isNotEmpty().allMatch(line -> line.equals("GET http://" + target() + "/via-env HTTP/1.1"));
      // A request the proxy took just before the stop reaches the target a moment later.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(authorizations).hasSameSizeAs(proxy.heads));
    }
  }

  @Test
  void theProxyOptionWinsOverTheEnvironmentAndItsCredentialsAreShownNowhere() throws IOException {
    Path json = dir.resolve("result.json");
    try (dev.stampede.http.TestProxy proxy = new dev.stampede.http.TestProxy()) {
      proxy.requireCredentials("Basic " + java.util.Base64.getEncoder().encodeToString("ops:pr0xy-pw".getBytes(StandardCharsets.UTF_8)));
      environment = java.util.Map.of("http_proxy", "http://127.0.0.1:1", "NO_PROXY", "*");

      int code = run("run", "--host", "http://" + target(), "--url", "/via-option", "--run-time", "1s",
          "--proxy", "http://ops:pr0xy-pw@127.0.0.1:" + proxy.port(), "--no-proxy", "example.test", "--json", json.toString());

      assertThat(code).isZero();
      assertThat(proxy.requestLines()).isNotEmpty().allMatch(line -> line.equals("GET http://" + target() + "/via-option HTTP/1.1"));
      // A request the proxy took just before the stop reaches the target a moment later.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(authorizations).hasSameSizeAs(proxy.heads));
      assertThat(out.toString() + err + Files.readString(json)).doesNotContain("pr0xy-pw");
    }
  }

  @Test
  void waitForPollsThroughTheRunsProxy() throws IOException {
    try (dev.stampede.http.TestProxy proxy = new dev.stampede.http.TestProxy()) {
      int code = run("run", "--host", "http://" + target(), "--url", "/load", "--run-time", "1s", "--quiet",
          "--proxy", "http://127.0.0.1:" + proxy.port(), "--wait-for", "http://" + target() + "/ready");

      assertThat(code).as(err.toString()).isZero();
      assertThat(proxy.requestLines()).first().isEqualTo("GET http://" + target() + "/ready HTTP/1.1");
      assertThat(proxy.requestLines().subList(1, proxy.requestLines().size())).isNotEmpty()
          .allMatch(line -> line.equals("GET http://" + target() + "/load HTTP/1.1"));
    }
  }

  @Test
  void anInvalidProxyIsAUsageErrorWithoutItsCredentials() {
    assertThat(run("run", "--host", "http://" + target(), "--url", "/", "--proxy", "socks5://ops:pr0xy-pw@127.0.0.1:1080"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--proxy socks5://***@127.0.0.1:1080 must be an http:// proxy URL")
        .doesNotContain("pr0xy-pw");
    assertThat(authorizations).isEmpty();
  }
}
