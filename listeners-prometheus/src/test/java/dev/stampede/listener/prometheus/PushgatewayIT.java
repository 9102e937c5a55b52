package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through Debian's {@code prometheus-pushgateway}: a run shorter than one scrape
 * interval, with no {@code /metrics} server at all, still lands in Prometheus with exact counts,
 * because the listener pushes its final counts at stop and the Pushgateway keeps them.
 */
class PushgatewayIT {

  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);
  private static final Duration RUN_TIME = Duration.ofSeconds(2);

  private Path dir;
  private LoopbackTarget target;
  private ServerProcess pushgateway;
  private ServerProcess prometheus;

  @BeforeEach
  void startServers() throws Exception {
    ServerProcess.assumeInstalled("/usr/bin/prometheus-pushgateway");
    ServerProcess.assumeInstalled("/usr/bin/prometheus");
    dir = Files.createTempDirectory("stampede-pushgateway-it");
    target = new LoopbackTarget();
    pushgateway = ServerProcess.start("/usr/bin/prometheus-pushgateway", dir, List.of("--log.level=warn"));
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: %ds
          scrape_timeout: 2s
        scrape_configs:
          - job_name: pushgateway
            honor_labels: true
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(SCRAPE_INTERVAL.toSeconds(), pushgateway.port()));
    prometheus = ServerProcess.start("/usr/bin/prometheus", dir, List.of(
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--log.level=warn"));
  }

  @AfterEach
  void stopServers() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (pushgateway != null) {
      pushgateway.close();
    }
    if (target != null) {
      target.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aRunShorterThanOneScrapeIntervalLandsInPrometheusExactlyThroughThePushgateway() throws Exception {
    String runId = "it-push-" + UUID.randomUUID().toString().substring(0, 8);
    PrometheusListener listener = PrometheusListener.builder().config(ConfigSource.of(Map.of(
        "prometheus.server", "false",
        "prometheus.pushgateway.url", pushgateway.baseUrl(),
        "prometheus.pushgateway.job", "stampede-ci"))).build();
    RunOutcome outcome = LoadTest.builder()
        .host(target.url())
        .userClasses(List.of(LoopbackTarget.ItUser.class)).httpFactory(LoopbackTarget.HTTP)
        .users(2).spawnRate(2)
        .runTime(RUN_TIME)
        .runId(runId).instance("ci-runner-1").scenario("PushgatewayIT")
        .listener("prometheus", listener)
        .build().run();
    assertThat(RUN_TIME).isLessThan(SCRAPE_INTERVAL);

    long total = outcome.summary().total().count();
    long failures = outcome.summary().total().failures();
    ListenerDelivery delivery = outcome.deliveries().get(0);
    assertThat(total).isPositive();
    assertThat(delivery.dropped()).isZero();
    assertThat(delivery.failed()).isZero();
    assertThat(delivery.report().details()).containsEntry("push_failures", 0L);

    PrometheusApi api = new PrometheusApi(prometheus.baseUrl());
    String selector = "{run_id=\"" + runId + "\",job=\"stampede-ci\",instance=\"ci-runner-1\"}";
    Duration timeout = SCRAPE_INTERVAL.multipliedBy(6);
    assertThat(api.awaitScalar("sum(stampede_requests_total" + selector + ")", null, v -> v == total, timeout))
        .as("Prometheus log:\n%s\nPushgateway log:\n%s", prometheus.log(), pushgateway.log())
        .isEqualTo(total);
    Instant landed = Instant.now();
    assertThat(api.scalar("sum(stampede_request_duration_seconds_count" + selector + ")", landed)).isEqualTo(total);
    assertThat(api.scalar("sum(stampede_requests_total" + selector.replace("}", ",outcome=\"failure\"}") + ")", landed))
        .isEqualTo(failures);
    JsonNode end = api.query("stampede_run_end_timestamp_seconds" + selector, landed).path("result");
    assertThat(end).hasSize(1);
  }
}
