package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadinessProbeTest {

  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  volatile boolean hangAfterFirstRequest;
  /** Ends the hang of {@link #hangAfterFirstRequest} when the test is over. */
  final CountDownLatch testOver = new CountDownLatch(1);

  /** A loopback server answering the i-th request with responses[min(i, last)]. */
  String serve(List<Object[]> responses) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health/ready", exchange -> {
      int n = requests.getAndIncrement();
      if (n > 0 && hangAfterFirstRequest) {
        try {
          testOver.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int i = Math.min(n, responses.size() - 1);
      byte[] body = ((String) responses.get(i)[1]).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders((Integer) responses.get(i)[0], body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/health/ready";
  }

  /**
   * One probe before any test, against a throwaway server: in a cold JVM on a loaded 2-core
   * machine a client's first request took seconds (class loading, JIT), beyond the timeouts the
   * tests give their probes, and whichever test runs first would pay for it.
   */
  @BeforeAll
  static void warmUpTheHttpClient() throws IOException {
    HttpServer warm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    warm.createContext("/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    warm.start();
    try {
      ReadinessProbe.Result result = ReadinessProbe.builder("http://127.0.0.1:" + warm.getAddress().getPort() + "/")
          .timeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(60)).build().await();
      assertThat(result.ready()).as(result.describe()).isTrue();
    } finally {
      warm.stop(0);
    }
  }

  @AfterEach
  void stop() {
    testOver.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void waitsUntilTheTargetAnswers2xx() throws Exception {
    String url = serve(List.of(new Object[] {503, "seeding"}, new Object[] {503, "seeding"},
        new Object[] {200, "ok"}));

    ReadinessProbe.Result result = ReadinessProbe.builder(url)
        .interval(Duration.ofMillis(10)).timeout(Duration.ofSeconds(30)).build().await();

    assertThat(result.ready()).isTrue();
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(result.lastStatus()).isEqualTo(200);
    assertThat(result.describe()).startsWith(url + " is ready after 3 attempts");
  }

  @Test
  void neverShowsTheCredentialsOfTheUrl() throws Exception {
    String url = serve(List.<Object[]>of(new Object[] {200, "ok"})).replace("http://", "http://admin:hunter2@");

    ReadinessProbe.Result result = ReadinessProbe.builder(url).interval(Duration.ofMillis(10))
        .timeout(Duration.ofSeconds(30)).build().await();

    assertThat(result.describe()).contains("http://***@").doesNotContain("hunter2");
    assertThatThrownBy(() -> ReadinessProbe.builder("ftp://admin:hunter2@host/"))
        .hasMessageContaining("ftp://***@host/").hasMessageNotContaining("hunter2");
  }

  @Test
  void waitsForTheBodyToMatchWhenAPatternIsGiven() throws Exception {
    String url = serve(List.of(new Object[] {200, "{\"status\":\"STARTING\"}"},
        new Object[] {200, "{\"status\":\"UP\"}"}));

    ReadinessProbe.Result result = ReadinessProbe.builder(url)
        .bodyPattern(Pattern.compile("\"status\":\"UP\"")).interval(Duration.ofMillis(10))
        .timeout(Duration.ofSeconds(30)).build().await();

    assertThat(result.ready()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void givesUpAfterTheTimeoutReportingTheLastResponse() throws Exception {
    String url = serve(List.<Object[]>of(new Object[] {503, "database not seeded\n(12%)"}));

    // Generous: the client's first request in a cold JVM on a busy CI machine can take longer
    // than a few hundred milliseconds, and a poll cut short by the timeout is not a response.
    ReadinessProbe.Result result = ReadinessProbe.builder(url)
        .interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(2)).build().await();

    assertThat(result.ready()).isFalse();
    assertThat(result.attempts()).isGreaterThanOrEqualTo(2);
    // The server may still be answering the poll the timeout cut short.
    assertThat(requests.get()).isBetween(result.attempts() - 1, result.attempts());
    assertThat(result.lastStatus()).isEqualTo(503);
    assertThat(result.lastBody()).isEqualTo("database not seeded (12%)");
    assertThat(result.describe()).startsWith(url + " was not ready after ")
        .contains("last response 503 \"database not seeded (12%)\"")
        .doesNotContain("\n");
    assertThat(ReadinessProbe.EXIT_NOT_READY).isEqualTo(3);
  }

  @Test
  void keepsTheLastResponseWhenALaterPollFails() throws Exception {
    String url = serve(List.<Object[]>of(new Object[] {503, "warming up"}));
    // A target that answered once and then hangs: the report names both. The request timeout is
    // what a cold client's first request on a busy machine needs (it must get that answer).
    hangAfterFirstRequest = true;

    ReadinessProbe.Result result = ReadinessProbe.builder(url).interval(Duration.ofMillis(20))
        .requestTimeout(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(4)).build().await();

    assertThat(result.ready()).isFalse();
    assertThat(result.lastStatus()).isEqualTo(503);
    assertThat(result.describe()).contains("last response 503 \"warming up\", then: ")
        .containsIgnoringCase("timed out");
  }

  @Test
  void reportsTheConnectionErrorWhenNothingListens() throws Exception {
    String url = serve(List.<Object[]>of(new Object[] {200, "ok"}));
    server.stop(0);
    server = null;

    // Long enough for a cold client to be refused at least once: a poll cut short by the
    // timeout reports a timeout, not the connection error.
    ReadinessProbe.Result result = ReadinessProbe.builder(url)
        .interval(Duration.ofMillis(20)).timeout(Duration.ofSeconds(2)).build().await();

    assertThat(result.ready()).isFalse();
    assertThat(result.lastStatus()).isEqualTo(-1);
    assertThat(result.describe()).contains("last error: ").containsIgnoringCase("connect");
  }

  @Test
  void rejectsAUrlThatIsNotHttp() {
    assertThatThrownBy(() -> ReadinessProbe.builder("ftp://x/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url must be an http(s) URL but was ftp://x/");
    assertThatThrownBy(() -> ReadinessProbe.builder("http://x/").timeout(Duration.ZERO))
        .hasMessage("timeout must be > 0 but was PT0S");
  }
}
