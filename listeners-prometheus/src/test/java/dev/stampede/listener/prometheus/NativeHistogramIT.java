package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against Debian's prometheus 2.42 with {@code --enable-feature=native-histograms}: three load
 * generators (three listeners, each with its own registry and {@code /metrics} server, scraped as
 * three targets) record different latency distributions; Prometheus scrapes their native histograms
 * in the protobuf format (remote write: {@link RemoteWriteIT}), and the quantile of the summed
 * rates lands within 2% of the exact p99 of every latency merged.
 */
class NativeHistogramIT {

  private static final int GENERATORS = 3;
  private static final int PER_GENERATOR = 20_000;
  private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(60);

  private Path dir;
  private ServerProcess prometheus;
  private final List<PrometheusListener> listeners = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (PrometheusListener listener : listeners) {
      listener.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theQuantileOfSummedNativeHistogramsIsWithinTwoPercentOfTheExactMergedP99() throws Exception {
    ServerProcess.assumeInstalled("/usr/bin/prometheus");
    dir = Files.createTempDirectory("stampede-native-it");
    String runId = "it-native-" + UUID.randomUUID().toString().substring(0, 8);
    int[] ports = new int[GENERATORS];
    StringBuilder targets = new StringBuilder();
    for (int g = 0; g < GENERATORS; g++) {
      ports[g] = ServerProcess.freePort();
      targets.append(g == 0 ? "" : ", ").append("'127.0.0.1:").append(ports[g]).append('\'');
    }
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: stampede
            static_configs:
              - targets: [%s]
        """.formatted(targets));
    prometheus = ServerProcess.start("/usr/bin/prometheus", dir, List.of(
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--enable-feature=native-histograms",
        "--log.level=warn"));
    PrometheusApi api = new PrometheusApi(prometheus.baseUrl());

    RunInfo[] runs = new RunInfo[GENERATORS];
    for (int g = 0; g < GENERATORS; g++) {
      runs[g] = new RunInfo(runId, "gen-" + g, "http://127.0.0.1:1", "NativeHistogramIT", Map.of(), Instant.now());
      PrometheusListener listener = PrometheusListener.builder().config(ConfigSource.of(Map.of(
          "prometheus.port", Integer.toString(ports[g]), "prometheus.linger", "0s"))).build();
      listeners.add(listener);
      listener.onStart(runs[g]);
      // One result first, so that the series exists in Prometheus before the measured ones arrive
      // and rate() sees them as an increase.
      listener.onResults(List.of(result(runs[g], 1_000_000)));
    }
    String selector = "{job=\"stampede\",run_id=\"" + runId + "\"}";
    assertThat(api.awaitScalar("histogram_count(sum(stampede_request_duration_seconds" + selector + "))", null,
        v -> v == GENERATORS, INGEST_TIMEOUT)).as("log:\n%s", prometheus.log()).isEqualTo(GENERATORS);

    // Three different distributions: the merged p99 is no generator's p99.
    Random random = new Random(42);
    long[] all = new long[GENERATORS * PER_GENERATOR];
    int n = 0;
    for (int g = 0; g < GENERATORS; g++) {
      List<RequestResult> batch = new ArrayList<>(PER_GENERATOR);
      double median = 0.010 * (g + 1);
      for (int i = 0; i < PER_GENERATOR; i++) {
        long nanos = (long) (median * Math.exp(0.6 * random.nextGaussian()) * 1e9);
        all[n++] = nanos;
        batch.add(result(runs[g], nanos));
      }
      listeners.get(g).onResults(batch);
    }
    Arrays.sort(all);
    double exactP99 = all[(int) Math.ceil(0.99 * all.length) - 1] / 1e9;
    long expected = GENERATORS + (long) all.length;
    assertThat(api.awaitScalar("histogram_count(sum(stampede_request_duration_seconds" + selector + "))", null,
        v -> v == expected, INGEST_TIMEOUT)).isEqualTo(expected);

    // The cumulative histograms, summed: rate() would extrapolate each generator's series by its own
    // scrape timing, which shifts the generators' weights in the sum and moved this p99 by up to 3.6%
    // from run to run. What is under test is the merge of native histograms across generators.
    double p99 = api.scalar("histogram_quantile(0.99, sum(stampede_request_duration_seconds" + selector + "))", null);
    System.out.printf(java.util.Locale.ROOT, "NativeHistogramIT: histogram_quantile p99 %.6f s, exact merged p99 %.6f s (%+.2f%%)%n",
        p99, exactP99, 100 * (p99 / exactP99 - 1));
    assertThat(p99).as("Prometheus p99 %s vs exact %s", p99, exactP99).isCloseTo(exactP99, within(exactP99 * 0.02));
    // The shipped dashboard's latency panels read the native histograms when the server has them.
    JsonNode dashboard = new ObjectMapper().readTree(PrometheusScrapeIT.DASHBOARD.toFile());
    List<String> empty = new ArrayList<>();
    int checked = 0;
    for (DashboardQueries.Query query : DashboardQueries.of(dashboard)) {
      if (!query.expr().contains("stampede_request_duration_seconds")) {
        continue;
      }
      String promql = query.expr().replace("$run_id", runId)
          .replace("$name", DashboardQueries.allValue(dashboard, "name"))
          .replace("$instance", DashboardQueries.allValue(dashboard, "instance"))
          .replace("$__rate_interval", "5m").replace("$__interval", "5m").replace("$__range", "5m");
      if (!DashboardQueries.hasFiniteValue(api.query(promql, null).path("result"))) {
        empty.add(query.where() + ": " + promql);
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(6);
    assertThat(empty).as("latency panels without data on native histograms").isEmpty();
    for (int g = 0; g < GENERATORS; g++) {
      listeners.get(g).onStop(summary(runs[g]));
    }
  }

  private static RequestResult result(RunInfo run, long nanos) {
    return new RequestResult(0, "GET", "/native", nanos, 100, 200, null, run.tags());
  }

  private static Summary summary(RunInfo run) {
    double[] zeros = new double[Percentiles.REPORTED.length];
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(zeros));
    return new Summary(run, run.startedAt(), Duration.ofSeconds(1), 1, List.of(), total, List.of(), 0);
  }
}
