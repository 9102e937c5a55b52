package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
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
 * Remote write against Debian's prometheus 2.42 with {@code --web.enable-remote-write-receiver} and
 * native histograms, on loopback, nothing scraping: the counts Prometheus holds equal the engine's,
 * counters and native histograms alike, and the p99 of the native histogram is within 2% of the
 * exact one.
 */
class RemoteWriteIT {

  private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(60);

  private Path dir;
  private ServerProcess prometheus;
  private PrometheusListener listener;

  @AfterEach
  void stop() throws Exception {
    if (listener != null) {
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
  void theCountsPrometheusHoldsEqualTheEngines() throws Exception {
    ServerProcess.assumeInstalled("/usr/bin/prometheus");
    dir = Files.createTempDirectory("stampede-remote-write-it");
    Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    prometheus = ServerProcess.start("/usr/bin/prometheus", dir, List.of(
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.enable-remote-write-receiver",
        "--enable-feature=native-histograms",
        "--log.level=warn"));
    PrometheusApi api = new PrometheusApi(prometheus.baseUrl());

    String runId = "it-rw-" + UUID.randomUUID().toString().substring(0, 8);
    RunInfo run = new RunInfo(runId, "ci-runner-7", "http://127.0.0.1:1", "RemoteWriteIT", Map.of("env", "it"),
        Instant.now());
    listener = PrometheusListener.builder().config(ConfigSource.of(Map.of(
        "prometheus.server", "false",
        "prometheus.remote-write.url", prometheus.baseUrl() + "/api/v1/write",
        "prometheus.remote-write.interval", "1s"))).build();
    listener.onStart(run);
    Random random = new Random(7);
    long[] latencies = new long[30_000];
    long failures = 0;
    for (int wave = 0; wave < 3; wave++) {
      List<RequestResult> batch = new ArrayList<>();
      for (int i = wave * 10_000; i < (wave + 1) * 10_000; i++) {
        latencies[i] = (long) (0.020 * Math.exp(0.5 * random.nextGaussian()) * 1e9);
        boolean failed = i % 50 == 0;
        failures += failed ? 1 : 0;
        batch.add(new RequestResult(0, i % 3 == 0 ? "POST" : "GET", "/rw/" + (i % 4), latencies[i], 100,
            failed ? 500 : 200, failed ? "HTTP 500" : null, run.tags()));
      }
      listener.onResults(batch);
    }
    listener.onStop(summary(run));
    ExportReport report = listener.report();

    assertThat(report.failed()).isZero();
    assertThat((long) report.details().get("remote_writes")).isPositive();
    String selector = "{job=\"stampede\",instance=\"ci-runner-7\",run_id=\"" + runId + "\"}";
    assertThat(api.awaitScalar("sum(stampede_requests_total" + selector + ")", null, v -> v == 30_000,
        INGEST_TIMEOUT)).as("log:\n%s", prometheus.log()).isEqualTo(30_000);
    assertThat(api.scalar("sum(stampede_requests_total" + selector.replace("}", ",outcome=\"failure\"}") + ")", null))
        .isEqualTo(failures);
    assertThat(api.scalar("histogram_count(sum(stampede_request_duration_seconds" + selector + "))", null))
        .isEqualTo(30_000);
    Arrays.sort(latencies);
    double exactP99 = latencies[(int) Math.ceil(0.99 * latencies.length) - 1] / 1e9;
    double p99 = api.scalar("histogram_quantile(0.99, sum(stampede_request_duration_seconds" + selector + "))", null);
    System.out.printf(java.util.Locale.ROOT, "RemoteWriteIT: histogram_quantile p99 %.6f s, exact p99 %.6f s (%+.2f%%)%n",
        p99, exactP99, 100 * (p99 / exactP99 - 1));
    assertThat(p99).isCloseTo(exactP99, within(exactP99 * 0.02));
  }

  private static Summary summary(RunInfo run) {
    double[] zeros = new double[Percentiles.REPORTED.length];
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(zeros));
    return new Summary(run, run.startedAt(), Duration.ofSeconds(1), 1, List.of(), total, List.of(), 0);
  }
}
