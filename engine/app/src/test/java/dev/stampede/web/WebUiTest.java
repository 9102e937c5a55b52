package dev.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.Verdict;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.report.WebAssets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebUiTest {

  private static final String PASSWORD = "s3cret-Pa55";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WebTestTarget target;
  private WebUi web;

  @BeforeEach
  void startTarget() throws IOException {
    target = new WebTestTarget();
  }

  @AfterEach
  void stopAll() {
    if (web != null) {
      web.close();
    }
    target.close();
  }

  @Test
  void bindsAFreePortWhenAskedForPortZero() throws Exception {
    web = WebUi.builder().port(0).runStarter(target.starter()).build().start();

    assertThat(web.port()).isPositive();
    assertThat(web.url().toString()).isEqualTo("http://127.0.0.1:" + web.port() + "/");
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"start-form\"").contains(WebAssets.runViewHtml()).doesNotContain("{{");
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(get("/assets/uPlot.min.js", null).body()).contains("uPlot");
    assertThat(get("/nothing-here", null).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesAWrongPasswordAndNeverEchoesIt() throws Exception {
    HttpResponse<String> none;
    HttpResponse<String> wrong;
    HttpResponse<String> wrongUser;
    HttpResponse<String> right;
    String logged;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // slf4j-simple writes to System.err: capture what the server logs while it starts and refuses.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      web = WebUi.builder().port(0).auth("admin:" + PASSWORD).runStarter(target.starter()).build().start();
      none = get("/api/state", null);
      wrong = get("/api/state", "admin:wrong-" + PASSWORD);
      wrongUser = get("/api/state", "root:" + PASSWORD);
      right = get("/api/state", "admin:" + PASSWORD);
    } finally {
      System.setErr(originalErr);
      logged = captured.toString(StandardCharsets.UTF_8);
      originalErr.print(logged);
    }

    assertThat(logged).contains("basic auth, user admin").doesNotContain(PASSWORD);

    for (HttpResponse<String> refused : List.of(none, wrong, wrongUser)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
          value -> assertThat(value).startsWith("Basic realm="));
      assertThat(refused.body()).doesNotContain(PASSWORD);
      assertThat(refused.headers().map().toString()).doesNotContain(PASSWORD);
    }
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.body()).doesNotContain(PASSWORD);
    assertThat(web.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void rejectsAMalformedAuthSettingWithoutRepeatingIt() {
    assertThatThrownBy(() -> WebUi.builder().auth(PASSWORD))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("user:password")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> WebUi.builder().auth("admin:")).isInstanceOf(ConfigException.class);
  }

  @Test
  void answersABadFormWithEveryProblemAndStartsNothing() throws Exception {
    web = WebUi.builder().port(0).runStarter(target.starter()).build().start();

    HttpResponse<String> response = post("/api/start", "users=-3&spawn_rate=fast&host=ftp%3A%2F%2Fx&run_time=soon");

    assertThat(response.statusCode()).isEqualTo(400);
    String error = JSON.readTree(response.body()).get("error").asText();
    assertThat(error).contains("users must be a whole number >= 1 but was -3")
        .contains("spawn rate must be a number > 0 but was 'fast'")
        .contains("host ftp://x must be an http:// or https:// URL")
        .contains("run time soon must be a duration like");
    assertThat(state().get("state").asText()).isEqualTo("idle");
    assertThat(target.served()).isZero();
  }

  @Test
  void showsTheStartersConfigurationErrorText() throws Exception {
    web = WebUi.builder().port(0).runStarter(request -> {
      throw new ConfigException(List.of("--scenario Shop.java does not compile", "--set influx.url is missing"));
    }).build().start();

    HttpResponse<String> response = post("/api/start", "users=2&spawn_rate=1");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText())
        .isEqualTo("--scenario Shop.java does not compile; --set influx.url is missing");
    assertThat(state().get("state").asText()).isEqualTo("idle");
  }

  @Test
  void showsWhyARunCouldNotStartAndAcceptsTheNextOne() throws Exception {
    RunStarter working = target.starter();
    Listener broken = new Listener() {
      @Override
      public void onStart(RunInfo run) {
        throw new IllegalStateException("backend down");
      }

      @Override
      public void onResults(List<RequestResult> batch) {}

      @Override
      public void onStop(Summary summary) {}
    };
    java.util.concurrent.atomic.AtomicInteger presses = new java.util.concurrent.atomic.AtomicInteger();
    web = WebUi.builder().port(0).runStarter(request -> presses.incrementAndGet() == 1
        ? LoadTest.builder().host(target.baseUrl()).url("/").runTime(Duration.ofSeconds(1))
            .httpFactory(WebTestTarget.http()).listener("broken", broken).build()
        : working.create(request)).build().start();

    assertThat(post("/api/start", "users=1&spawn_rate=1").statusCode()).isEqualTo(200);
    JsonNode failed = awaitState(view -> view.get("state").asText().equals("failed"));

    assertThat(failed.get("error").asText())
        .isEqualTo("the run could not start: listener broken could not start: IllegalStateException: backend down");
    assertThat(target.served()).isZero();
    assertThat(post("/api/start", "users=1&spawn_rate=1&run_time=1s").statusCode()).isEqualTo(200);
    assertThat(awaitState(view -> view.get("state").asText().equals("finished")).has("error")).isFalse();
  }

  @Test
  void refusesPostsWithoutTheStampedeHeader() throws Exception {
    web = WebUi.builder().port(0).runStarter(target.starter()).build().start();

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(web.url().resolve("/api/start"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("users=1&spawn_rate=1")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(target.served()).isZero();
  }

  @Test
  void runsStopsAndOffersTheLastRunsDownloads() throws Exception {
    List<RunOutcome> finished = new CopyOnWriteArrayList<>();
    web = WebUi.builder().port(0).runStarter(target.starter()).onFinished(finished::add)
        .kpis(outcome -> List.of(new KpiRow("requests", Long.toString(outcome.summary().total().count()), "> 0",
            Verdict.Status.PASSED, "")))
        .defaults(new WebRunRequest(2, 2, target.baseUrl(), Duration.ofMinutes(5)))
        .build().start();
    assertThat(get("/download/result.json", null).statusCode()).isEqualTo(409);
    JsonNode idle = state();
    assertThat(idle.at("/defaults/users").asInt()).isEqualTo(2);
    assertThat(idle.at("/defaults/run_time").asText()).isEqualTo("5m00s");

    assertThat(post("/api/start", "users=2&spawn_rate=2&host=&run_time=").statusCode()).isEqualTo(200);
    assertThat(post("/api/start", "users=2&spawn_rate=2").statusCode()).isEqualTo(409);
    JsonNode live = awaitState(view -> view.at("/total/count").asLong() >= 20 && view.at("/history/t").size() >= 2);
    assertThat(live.get("state").asText()).isEqualTo("running");
    assertThat(live.get("live").asBoolean()).isTrue();
    assertThat(live.at("/stats/0/name").asText()).isEqualTo(WebTestTarget.PATH);
    assertThat(live.at("/run/host").asText()).isEqualTo(target.baseUrl());
    // Reset while running starts the statistics afresh; the run goes on.
    HttpResponse<String> reset = post("/api/reset", "");
    assertThat(reset.statusCode()).isEqualTo(200);
    JsonNode afterReset = JSON.readTree(reset.body());
    assertThat(afterReset.get("state").asText()).isEqualTo("running");
    assertThat(afterReset.at("/total/count").asLong()).isLessThan(live.at("/total/count").asLong());
    awaitState(view -> view.at("/total/count").asLong() >= 5);

    assertThat(post("/api/stop", "").statusCode()).isEqualTo(200);
    JsonNode done = awaitState(view -> view.get("state").asText().equals("finished"));
    assertThat(done.get("downloads").asBoolean()).isTrue();
    assertThat(done.at("/run/run_id").asText()).isEqualTo("web-test");
    assertThat(done.at("/kpis/0/status").asText()).isEqualTo("PASSED");
    // The page says finished only after onFinished wrote the result files.
    assertThat(finished).hasSize(1);
    long count = finished.get(0).summary().total().count();
    assertThat(done.at("/total/count").asLong()).isEqualTo(count);

    HttpResponse<String> csv = get("/download/stats.csv", null);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"stampede-web-test_stats.csv\"");
    assertThat(csv.body()).startsWith("Type,Name,Request Count").contains("GET," + WebTestTarget.PATH + "," + count);
    assertThat(get("/download/stats_history.csv", null).body()).startsWith("Timestamp,User Count");
    assertThat(get("/download/failures.csv", null).body()).startsWith("Method,Name,Error,Occurrences");
    JsonNode result = JSON.readTree(get("/download/result.json", null).body());
    assertThat(result.at("/total/count").asLong()).isEqualTo(count);
    String report = get("/download/report.html", null).body();
    assertThat(report).startsWith("<!DOCTYPE html>").contains("\"run_id\":\"web-test\"").contains("\"name\":\"requests\"");
    assertThat(get("/download/other.bin", null).statusCode()).isEqualTo(404);

    assertThat(post("/api/reset", "").statusCode()).isEqualTo(200);
    assertThat(state().get("state").asText()).isEqualTo("idle");
    assertThat(get("/download/stats.csv", null).statusCode()).isEqualTo(409);
  }

  @Test
  void closeStopsARunningTestAndReleasesAwaitClose() throws Exception {
    web = WebUi.builder().port(0).runStarter(target.starter()).build().start();
    assertThat(post("/api/start", "users=1&spawn_rate=1").statusCode()).isEqualTo(200);
    awaitState(view -> view.at("/total/count").asLong() > 0);
    CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
      try {
        web.awaitClose();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    web.close();

    waiter.get(10, TimeUnit.SECONDS);
    assertThat(web.lastOutcome()).isNotNull();
    assertThat(web.lastOutcome().summary().total().count()).isPositive();
  }

  @Test
  void answersOnlyLoopbackHostNamesWhenBoundToLoopback() throws Exception {
    web = WebUi.builder().port(0).runStarter(target.starter()).build().start();

    // A rebinding attack reaches 127.0.0.1 under the attacker's own name.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", web.port())) {
      socket.getOutputStream().write(("GET /api/state HTTP/1.1\r\nHost: evil.example:" + web.port()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 421");
    }
  }

  @Test
  void parsesAGoodForm() {
    WebRunRequest request = StartForm.parse(Map.of("users", "12", "spawn_rate", "2.5", "host", "https://shop.test",
        "run_time", "1m30s"));

    assertThat(request).isEqualTo(new WebRunRequest(12, 2.5, "https://shop.test", Duration.ofSeconds(90)));
    assertThat(StartForm.parse(Map.of("users", "1", "spawn_rate", "1", "host", "", "run_time", "")))
        .isEqualTo(new WebRunRequest(1, 1, null, null));
  }

  // ---------------------------------------------------------------- helpers

  private JsonNode state() throws Exception {
    return JSON.readTree(get("/api/state", null).body());
  }

  private JsonNode awaitState(java.util.function.Predicate<JsonNode> condition) throws Exception {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            last.set(state());
            return last.get();
          }, condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("the page's state never met the condition; last: " + last.get(), e);
    }
  }

  private HttpResponse<String> get(String path, String credentials) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(web.url().resolve(path)).timeout(Duration.ofSeconds(10));
    if (credentials != null) {
      request.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return client.send(HttpRequest.newBuilder(web.url().resolve(path)).timeout(Duration.ofSeconds(30))
        .header(CsrfFilter.HEADER, "1")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
