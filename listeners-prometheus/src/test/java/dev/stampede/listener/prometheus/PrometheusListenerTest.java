package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.config.ConfigSource;
import io.micrometer.core.instrument.MockClock;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusListenerTest {

  private static final String SECRET = "pa55-w0rd-never-shown";
  private static final RunInfo RUN = new RunInfo("run-1", "gen-1", "http://127.0.0.1:1", "scenario",
      Map.of("env", "ci", "instance", "x"), Instant.ofEpochSecond(1_700_000_000));

  private final MockClock clock = new MockClock();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private PrometheusListener listener(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("prometheus.port", "0", "prometheus.linger", "0s"));
    all.putAll(settings);
    PrometheusListener listener = PrometheusListener.builder().config(ConfigSource.of(all)).clock(clock).build();
    toClose.add(listener);
    return listener;
  }

  private StubPushgateway pushgateway() {
    StubPushgateway stub = new StubPushgateway();
    toClose.add(stub);
    return stub;
  }

  private static RequestResult ok(String method, String name, long millis) {
    return new RequestResult(0, method, name, millis * 1_000_000, 100, 200, null, RUN.tags());
  }

  private static RequestResult failed(String name, int status, String failure) {
    return new RequestResult(0, "GET", name, 3_000_000, 0, status, failure, RUN.tags());
  }

  private static Summary summary() {
    double[] zeros = new double[Percentiles.REPORTED.length];
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(zeros));
    return new Summary(RUN, RUN.startedAt(), Duration.ofSeconds(1), 1, List.of(), total, List.of(), 0);
  }

  private static Snapshot snapshot(int users) {
    double[] zeros = new double[Percentiles.REPORTED.length];
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(zeros));
    return new Snapshot(0, 1, users, total, List.of(), 0, 0, 0, 0, 0);
  }

  private HttpResponse<String> get(int port, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  @Test
  void warmUpServesNothingAndLeavesTheRunsCountsAlone() throws Exception {
    PrometheusListener listener = listener(Map.of());
    listener.onStart(RUN);
    listener.warmUp(Duration.ofMillis(300));
    listener.onResults(List.of(ok("GET", "/a", 7), ok("GET", "/a", 9), failed("/a", 500, "HTTP 500")));

    String served = get(listener.port(), null).body();
    assertThat(served).doesNotContain("warm-up");
    Exposition exposition = Exposition.parse(served);
    assertThat(exposition.sum("stampede_requests_total", Map.of())).isEqualTo(3);
    assertThat(exposition.sum("stampede_requests_total", Map.of("outcome", "success"))).isEqualTo(2);
    assertThat(exposition.sum("stampede_response_size_bytes_count", Map.of())).isEqualTo(3);
    assertThat(listener.report().details()).containsEntry("requests_recorded", 3L);
  }

  @Test
  void countsSuccessesOfInterleavedEndpointsExactlyAcrossBatches() {
    PrometheusListener listener = listener(Map.of());
    listener.onStart(RUN);
    List<RequestResult> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      batch.add(i % 10 == 9 ? failed("/b", 502, "HTTP 502") : ok("GET", i % 3 == 0 ? "/a" : "/b", 5));
    }
    listener.onResults(batch);
    listener.onResults(batch.subList(0, 10));

    Exposition exposition = Exposition.parse(listener.scrape());
    assertThat(exposition.sum("stampede_requests_total", Map.of("name", "/a", "outcome", "success"))).isEqualTo(300 + 3);
    assertThat(exposition.sum("stampede_requests_total", Map.of("name", "/b", "outcome", "success"))).isEqualTo(600 + 6);
    assertThat(exposition.sum("stampede_requests_total", Map.of("name", "/b", "outcome", "failure"))).isEqualTo(101);
    assertThat(listener.report().details()).containsEntry("requests_recorded", 1_010L);
  }

  @Test
  void exportsTheSharedNamesLabelledWithRunIdAndTags() {
    PrometheusListener listener = listener(Map.of());
    listener.onStart(RUN);
    listener.onResults(List.of(ok("GET", "/a", 7), failed("/a", 500, "HTTP 500")));
    listener.onTick(snapshot(4));
    listener.onStop(summary());

    Exposition exposition = Exposition.parse(listener.scrape());
    Set<String> names = exposition.samples().stream().map(Exposition.Sample::name).collect(Collectors.toSet());
    assertThat(names).contains("stampede_requests_total", "stampede_request_duration_seconds_bucket",
        "stampede_request_duration_seconds_count", "stampede_request_duration_seconds_sum",
        "stampede_response_size_bytes_count", "stampede_response_size_bytes_sum", "stampede_users",
        "stampede_failures_total", "stampede_export_dropped_total", "stampede_run_start_timestamp_seconds",
        "stampede_run_end_timestamp_seconds");
    assertThat(names).contains(PrometheusNames.REQUESTS, PrometheusNames.DURATION + "_count",
        PrometheusNames.RESPONSE_SIZE + "_sum", PrometheusNames.USERS, PrometheusNames.FAILURES,
        PrometheusNames.EXPORT_DROPPED, PrometheusNames.RUN_START, PrometheusNames.RUN_END);
    assertThat(exposition.find("stampede_requests_total", Map.of("outcome", "failure")))
        .singleElement()
        .extracting(Exposition.Sample::labels)
        .isEqualTo(Map.of("run_id", "run-1", "env", "ci", "tag_instance", "x", "method", "GET", "name", "/a",
            "outcome", "failure"));
    assertThat(exposition.find("stampede_failures_total", Map.of()))
        .singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("error", "HTTP 500"));
    assertThat(exposition.sum("stampede_run_start_timestamp_seconds", Map.of())).isEqualTo(1.7e9);
  }

  @Test
  void countsEveryResultInTheCounterTheHistogramAndItsBuckets() {
    PrometheusListener listener = listener(Map.of("prometheus.buckets", "10ms,100ms"));
    listener.onStart(RUN);
    List<RequestResult> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      batch.add(i % 4 == 0 ? failed("/b", 0, "java.net.ConnectException: refused") : ok("POST", "/b", i % 200));
    }
    listener.onResults(batch);

    Exposition exposition = Exposition.parse(listener.scrape());
    assertThat(exposition.sum("stampede_requests_total", Map.of())).isEqualTo(1_000);
    assertThat(exposition.sum("stampede_requests_total", Map.of("outcome", "failure"))).isEqualTo(250);
    assertThat(exposition.sum("stampede_request_duration_seconds_count", Map.of())).isEqualTo(1_000);
    assertThat(exposition.sum("stampede_request_duration_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(1_000);
    // 250 failures at 3 ms, and successes at 0..9 ms: POST names with i % 200 < 10 and i % 4 != 0.
    long fastSuccesses = java.util.stream.IntStream.range(0, 1_000).filter(i -> i % 4 != 0 && i % 200 <= 10).count();
    assertThat(exposition.sum("stampede_request_duration_seconds_bucket", Map.of("le", "0.01")))
        .isEqualTo(250 + fastSuccesses);
    assertThat(exposition.sum("stampede_failures_total", Map.of("error", "ConnectException"))).isEqualTo(250);
    assertThat(listener.report()).isEqualTo(new ExportReport(0, listener.report().details()));
    assertThat(listener.report().details()).containsEntry("requests_recorded", 1_000L);
  }

  @Test
  void servesHostileEndpointNamesOnAnEphemeralPortEscapedSoTheyReadBackExactly() throws Exception {
    PrometheusListener listener = listener(Map.of());
    listener.onStart(RUN);
    List<String> hostile = List.of("/a b,c=d", "/quote\"d", "/back\\slash", "/new\nline", "/unicodé-名前-✓",
        "/{tag}=x;y", "/trailing\\", "/emoji-\uD83D\uDE00");
    List<RequestResult> batch = new ArrayList<>();
    hostile.forEach(name -> batch.add(ok("GET", name, 1)));
    listener.onResults(batch);

    assertThat(listener.port()).isPositive();
    HttpResponse<String> response = get(listener.port(), null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    Exposition exposition = Exposition.parse(response.body());
    Set<String> names = exposition.find("stampede_requests_total", Map.of("outcome", "success")).stream()
        .map(s -> s.labels().get("name")).collect(Collectors.toSet());
    assertThat(names).containsExactlyInAnyOrderElementsOf(hostile);

    HttpResponse<String> openMetrics = get(listener.port(), "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
    assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(openMetrics.body()).contains("stampede_requests_total{").endsWith("# EOF\n");
  }

  @Test
  void capsDistinctEndpointsAndCountsTheRestAsOtherWithOneWarning() {
    PrometheusListener listener = listener(Map.of("prometheus.max-endpoints", "3"));
    listener.onStart(RUN);
    String log;
    try (StderrCapture stderr = new StderrCapture()) {
      for (int i = 0; i < 10; i++) {
        listener.onResults(List.of(ok("GET", "/users/" + i, 1), ok("GET", "/users/" + i, 2)));
      }
      log = stderr.text();
    }

    Exposition exposition = Exposition.parse(listener.scrape());
    Map<String, Double> byName = exposition.find("stampede_requests_total", Map.of("outcome", "success")).stream()
        .collect(Collectors.toMap(s -> s.labels().get("name"), Exposition.Sample::value));
    assertThat(byName).containsExactlyInAnyOrderEntriesOf(
        Map.of("/users/0", 2.0, "/users/1", 2.0, "/users/2", 2.0, "other", 14.0));
    assertThat(exposition.sum("stampede_request_duration_seconds_count", Map.of("name", "other"))).isEqualTo(14);
    assertThat(log.lines().filter(line -> line.contains("More than 3 distinct endpoints"))).hasSize(1);
    assertThat(listener.report().details()).containsEntry("overflowed_endpoints", 14L);
  }

  @Test
  void capsDistinctErrorClassesAndCountsTheRestAsOther() {
    PrometheusListener listener = listener(Map.of("prometheus.max-errors", "2"));
    listener.onStart(RUN);
    listener.onResults(List.of(failed("/e", 500, "x"), failed("/e", 502, "x"), failed("/e", 503, "x"),
        failed("/e", 504, "x"), failed("/e", 500, "x")));

    Exposition exposition = Exposition.parse(listener.scrape());
    Map<String, Double> byError = exposition.find("stampede_failures_total", Map.of()).stream()
        .collect(Collectors.toMap(s -> s.labels().get("error"), Exposition.Sample::value));
    assertThat(byError).containsExactlyInAnyOrderEntriesOf(Map.of("HTTP 500", 2.0, "HTTP 502", 1.0, "other", 2.0));
  }

  @Test
  void failsToStartNamingTheAddressWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      PrometheusListener listener = listener(Map.of("prometheus.port", Integer.toString(taken.getLocalPort())));
      assertThatThrownBy(() -> listener.onStart(RUN))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot serve /metrics on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void refusesASecondRun() {
    PrometheusListener listener = listener(Map.of());
    listener.onStart(RUN);
    assertThatThrownBy(() -> listener.onStart(RUN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a PrometheusListener exports one run; create a new one for run run-1");
  }

  @Test
  void lingersAfterStopUntilTheFinalCountsWereScraped() throws Exception {
    PrometheusListener listener = listener(Map.of("prometheus.linger", "60s"));
    listener.onStart(RUN);
    listener.onResults(List.of(ok("GET", "/x", 1), ok("GET", "/x", 2)));
    int port = listener.port();

    CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> listener.onStop(summary()));
    // Scrapes (the stimulus that ends the linger) until the stop returns; the last scrape is checked.
    AtomicReference<String> lastScrape = new AtomicReference<>();
    Awaitility.await("the stop after the final scrape").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20)).until(() -> {
          lastScrape.set(get(port, null).body());
          return stop.isDone();
        });

    assertThat(stop).isCompleted();
    Exposition exposition = Exposition.parse(lastScrape.get());
    assertThat(exposition.sum("stampede_requests_total", Map.of())).isEqualTo(2);
    assertThat(exposition.find("stampede_run_end_timestamp_seconds", Map.of())).hasSize(1);
    assertThat(exposition.sum("stampede_users", Map.of())).isZero();
  }

  @Test
  void pushesWhenThePushIntervalHasPassedOnTheClockGroupedByJobRunAndInstance() throws Exception {
    StubPushgateway stub = pushgateway();
    PrometheusListener listener = listener(Map.of("prometheus.server", "false",
        "prometheus.pushgateway.url", stub.url(), "prometheus.pushgateway.interval", "10s"));
    listener.onStart(RUN);
    listener.onResults(List.of(ok("GET", "/p", 1)));
    clock.add(Duration.ofSeconds(9));
    listener.onTick(snapshot(2));
    assertThat(stub.pushes()).isEmpty();

    clock.add(Duration.ofSeconds(1));
    listener.onTick(snapshot(2));
    await("the interval push arrived", () -> stub.pushes().size() == 1);

    StubPushgateway.Push push = stub.pushes().get(0);
    assertThat(push.method()).isEqualTo("PUT");
    assertThat(push.path()).isEqualTo("/metrics/job/stampede/instance/gen-1/run_id/run-1");
    assertThat(Exposition.parse(push.body()).sum("stampede_requests_total", Map.of())).isEqualTo(1);
    assertThat(Exposition.parse(push.body()).sum("stampede_users", Map.of())).isEqualTo(2);
  }

  @Test
  void pushesTheFinalCountsOnceMoreAtStop() {
    StubPushgateway stub = pushgateway();
    PrometheusListener listener = listener(Map.of("prometheus.server", "false",
        "prometheus.pushgateway.url", stub.url() + "/prefix/"));
    listener.onStart(RUN);
    listener.onResults(List.of(ok("GET", "/p", 1), ok("GET", "/p", 1), failed("/p", 500, "x")));
    listener.onStop(summary());

    assertThat(stub.pushes()).singleElement().satisfies(push -> {
      assertThat(push.path()).isEqualTo("/prefix/metrics/job/stampede/instance/gen-1/run_id/run-1");
      assertThat(Exposition.parse(push.body()).sum("stampede_requests_total", Map.of())).isEqualTo(3);
      assertThat(Exposition.parse(push.body()).find("stampede_run_end_timestamp_seconds", Map.of())).hasSize(1);
    });
    ExportReport report = listener.report();
    assertThat(report.failed()).isZero();
    assertThat(report.details()).containsEntry("pushes", 1L).containsEntry("push_failures", 0L);
  }

  @Test
  void retriesAFailedPushThenReportsWhatThePushgatewayMissed() {
    StubPushgateway stub = pushgateway();
    stub.respondWith(500);
    PrometheusListener listener = listener(Map.of("prometheus.server", "false",
        "prometheus.pushgateway.url", stub.url(), "prometheus.pushgateway.retries", "2",
        "prometheus.pushgateway.retry-backoff", "1ms"));
    listener.onStart(RUN);
    listener.onResults(List.of(ok("GET", "/p", 1), ok("GET", "/p", 1), failed("/p", 500, "x")));
    listener.onStop(summary());

    assertThat(stub.pushes()).hasSize(3);
    ExportReport report = listener.report();
    assertThat(report.failed()).isEqualTo(3);
    assertThat(report.details()).containsEntry("pushes", 0L).containsEntry("push_failures", 1L)
        .containsEntry("push_retries", 2L);
  }

  @Test
  void reportsNothingMissedWhenAPushSucceedsOnARetry() throws Exception {
    StubPushgateway stub = pushgateway();
    stub.respondWith(503);
    // Retries for about 10 s (50 ms, 100 ms, ... 1 s apart) so that the switch to 200 below lands
    // within them however late this thread gets to run; the stop ends as soon as a push succeeds.
    PrometheusListener listener = listener(Map.of("prometheus.server", "false",
        "prometheus.pushgateway.url", stub.url(), "prometheus.pushgateway.retries", "20",
        "prometheus.pushgateway.retry-backoff", "50ms"));
    listener.onStart(RUN);
    listener.onResults(List.of(ok("GET", "/p", 1)));
    CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> listener.onStop(summary()));
    await("a first attempt failed", () -> !stub.pushes().isEmpty());
    stub.respondWith(200);
    stop.get(30, TimeUnit.SECONDS);

    assertThat(listener.report().failed()).isZero();
    assertThat(listener.report().details()).containsEntry("pushes", 1L).containsEntry("push_failures", 0L);
  }

  @Test
  void sendsBasicAuthToThePushgatewayButNeverShowsThePassword() {
    StubPushgateway stub = pushgateway();
    stub.respondWith(401);
    PrometheusListener listener = listener(Map.of("prometheus.server", "false",
        "prometheus.pushgateway.url", stub.url(), "prometheus.pushgateway.retries", "0",
        "prometheus.pushgateway.username", "ci", "prometheus.pushgateway.password", SECRET));
    String log;
    try (StderrCapture stderr = new StderrCapture()) {
      listener.onStart(RUN);
      listener.onResults(List.of(ok("GET", "/p", 1)));
      listener.onStop(summary());
      log = stderr.text();
    }

    String expected = "Basic " + Base64.getEncoder().encodeToString(("ci:" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(stub.pushes()).singleElement().extracting(StubPushgateway.Push::authorization).isEqualTo(expected);
    assertThat(log).contains("push to the Pushgateway at " + stub.url() + " failed").doesNotContain(SECRET);
    assertThat(listener.report().toString()).doesNotContain(SECRET);
    assertThat(listener.report().failed()).isEqualTo(1);
    assertThat(listener.toString()).doesNotContain(SECRET);
  }
}
