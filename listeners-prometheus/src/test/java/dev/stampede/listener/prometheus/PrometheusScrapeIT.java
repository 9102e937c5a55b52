package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.EndpointStats;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end against Debian's {@code prometheus}: a 10 s load test against a loopback target with
 * the listener serving {@code /metrics}, scraped every second; then the counts in Prometheus must
 * equal the engine's exactly, and every query of the shipped Grafana dashboard must return data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeIT {

  static final Path DASHBOARD = Path.of("..", "examples", "dashboards", "grafana", "stampede-prometheus.json");
  private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(30);

  private final String runId = "it-scrape-" + UUID.randomUUID().toString().substring(0, 8);
  private Path dir;
  private LoopbackTarget target;
  private ServerProcess prometheus;
  private PrometheusApi api;
  private RunOutcome outcome;
  private Instant runStart;
  private Instant stopped;

  @BeforeAll
  void runLoadWhilePrometheusScrapes() throws Exception {
    ServerProcess.assumeInstalled("/usr/bin/prometheus");
    dir = Files.createTempDirectory("stampede-prometheus-it");
    target = new LoopbackTarget();
    int listenerPort = ServerProcess.freePort();
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: stampede
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(listenerPort));
    prometheus = ServerProcess.start("/usr/bin/prometheus", dir, List.of(
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--log.level=warn"));
    api = new PrometheusApi(prometheus.baseUrl());

    PrometheusListener listener = PrometheusListener.builder().config(ConfigSource.of(Map.of(
        "prometheus.port", Integer.toString(listenerPort),
        "prometheus.scrape-interval", "1s",
        "prometheus.linger", "20s"))).build();
    runStart = Instant.now();
    outcome = LoadTest.builder()
        .host(target.url())
        .userClasses(List.of(LoopbackTarget.ItUser.class)).httpFactory(LoopbackTarget.HTTP)
        .users(4).spawnRate(4)
        .runTime(Duration.ofSeconds(10))
        .runId(runId).instance("it-generator").scenario("PrometheusScrapeIT")
        .tags(Map.of("env", "it"))
        .listener("prometheus", listener)
        .build().run();
    stopped = Instant.now();
  }

  @AfterAll
  void stopServers() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private String selector(String extra) {
    return "{run_id=\"" + runId + "\"" + extra + "}";
  }

  /** Queried at the moment the run returned: after the final scrape, before the server closed. */
  private double awaitValue(String promql, double expected) throws IOException, InterruptedException {
    return api.awaitScalar(promql, stopped, v -> v == expected, INGEST_TIMEOUT);
  }

  @Test
  void listenerReceivedEveryResultAndLostNone() {
    ListenerDelivery delivery = outcome.deliveries().stream().filter(d -> d.name().equals("prometheus"))
        .findFirst().orElseThrow();
    assertThat(outcome.summary().total().count()).isGreaterThan(1_000);
    assertThat(delivery.dropped()).isZero();
    assertThat(delivery.failed()).isZero();
    assertThat(delivery.accepted()).isEqualTo(outcome.summary().total().count());
    assertThat(delivery.report().details()).containsEntry("requests_recorded", outcome.summary().total().count());
  }

  @Test
  void requestsTotalInPrometheusEqualsTheEngineTotalExactly() throws Exception {
    long total = outcome.summary().total().count();
    assertThat(awaitValue("sum(stampede_requests_total" + selector("") + ")", total))
        .as("Prometheus log:\n%s", prometheus.log()).isEqualTo(total);
  }

  @Test
  void histogramCountAndInfBucketEqualTheEngineTotalExactly() throws Exception {
    long total = outcome.summary().total().count();
    assertThat(awaitValue("sum(stampede_request_duration_seconds_count" + selector("") + ")", total)).isEqualTo(total);
    assertThat(awaitValue("sum(stampede_request_duration_seconds_bucket" + selector(",le=\"+Inf\"") + ")", total))
        .isEqualTo(total);
  }

  @Test
  void failuresInPrometheusEqualTheEngineFailuresExactly() throws Exception {
    long failures = outcome.summary().total().failures();
    assertThat(failures).isPositive();
    assertThat(awaitValue("sum(stampede_requests_total" + selector(",outcome=\"failure\"") + ")", failures))
        .isEqualTo(failures);
    assertThat(awaitValue("sum(stampede_failures_total" + selector(",error=\"HTTP 500\"") + ")", failures))
        .isEqualTo(failures);
  }

  @Test
  void everyEndpointIsASeriesWithItsNameIntactAndItsOwnExactCount() throws Exception {
    long total = outcome.summary().total().count();
    awaitValue("sum(stampede_requests_total" + selector("") + ")", total);
    Map<String, Long> expected = new HashMap<>();
    for (EndpointStats endpoint : outcome.summary().endpoints()) {
      expected.put(endpoint.method() + " " + endpoint.name(), endpoint.count());
    }
    Map<String, Long> actual = new HashMap<>();
    for (JsonNode series : api.query("sum by (method, name) (stampede_requests_total" + selector(",env=\"it\"") + ")",
        stopped).path("result")) {
      actual.put(series.path("metric").path("method").asText() + " " + series.path("metric").path("name").asText(),
          (long) Double.parseDouble(series.path("value").get(1).asText()));
    }
    assertThat(expected).containsOnlyKeys("GET /fast", "GET /slow", "GET /flaky", "GET " + LoopbackTarget.HOSTILE_NAME);
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void everyDashboardQueryReturnsDataForTheRun() throws Exception {
    long total = outcome.summary().total().count();
    awaitValue("sum(stampede_requests_total" + selector("") + ")", total);
    awaitValue("count(stampede_run_end_timestamp_seconds" + selector("") + ")", 1);

    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    String allValue = DashboardQueries.allValue(dashboard, "name");
    String allInstances = DashboardQueries.allValue(dashboard, "instance");
    assertThat(allValue).as("the endpoint variable's 'All' value").isNotBlank();
    assertThat(allInstances).as("the generator variable's 'All' value").isNotBlank();
    Instant start = runStart.minusSeconds(2);
    // Grafana's "now" is a moment after the run: the stop annotation's sample is the final scrape.
    Instant end = stopped.plusSeconds(5);
    long rangeSeconds = Duration.between(start, stopped).toSeconds() + 1;
    List<String> empty = new ArrayList<>();
    Set<String> checked = new HashSet<>();
    for (DashboardQueries.Query query : DashboardQueries.of(dashboard)) {
      String promql = query.expr()
          .replace("$run_id", runId)
          .replace("$name", allValue)
          .replace("$instance", allInstances)
          .replace("$__rate_interval", "4s")
          .replace("$__interval", "1s")
          .replace("$__range", rangeSeconds + "s");
      assertThat(promql).as(query.where()).doesNotContain("$");
      JsonNode result = query.instant()
          ? api.query(promql, stopped).path("result")
          : api.queryRange(promql, start, end, Duration.ofSeconds(1)).path("result");
      if (!DashboardQueries.hasFiniteValue(result)) {
        empty.add(query.where() + ": " + promql);
      }
      checked.add(query.where());
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(20);
    assertThat(empty).as("dashboard queries that returned no data").isEmpty();
  }
}
