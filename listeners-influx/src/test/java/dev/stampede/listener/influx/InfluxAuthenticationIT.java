package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.bus.ResultBus;
import dev.stampede.testkit.EngineFeed;
import dev.stampede.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The listener against an {@code influxd} with HTTP authentication on. */
class InfluxAuthenticationIT {

  private static final String DB = "auth_it";
  private static final String USER = "stampede";
  private static final String PASSWORD = "Pw-Secr3t-in-influx";
  private static final String WRONG_PASSWORD = "Wrong-Secr3t-pw";
  private static InfluxServer server;

  @BeforeAll
  static void start() throws Exception {
    server = InfluxServer.startFresh(USER, PASSWORD);
    server.query("", "CREATE DATABASE " + DB);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ListenerDelivery run(RunInfo run, String password, int results) {
    InfluxListener listener = InfluxListener.builder().config(InfluxConfig.from(ConfigSource.of(Map.of(
        "influx.url", server.url(), "influx.db", DB, "influx.user", USER, "influx.password", password,
        "influx.flush-timeout", "30s")))).build();
    ResultBus bus = ResultBus.builder().listener("influx", listener).build();
    bus.start(run);
    EngineFeed feed = new EngineFeed(bus);
    long now = System.currentTimeMillis() * 1_000;
    for (int i = 0; i < results; i++) {
      feed.record(new RequestResult(now, "GET", "/auth", 1_000_000, 10, 200, null, run.tags()));
    }
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, results, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    feed.tick(1);
    return bus.stop(new Summary(run, run.startedAt(), Duration.ofSeconds(1), 1, List.of(), total, List.of(), 0)).get(0);
  }

  private static RunInfo newRun() {
    return new RunInfo("auth-" + UUID.randomUUID().toString().substring(0, 8), "it-gen", "", "auth", Map.of(),
        Instant.now());
  }

  @Test
  void writesWithUserAndPassword() throws Exception {
    RunInfo run = newRun();

    ListenerDelivery delivery = run(run, PASSWORD, 50);

    assertThat(delivery.failed()).isZero();
    assertThat((long) server.scalar(DB, "SELECT sum(\"count\") FROM requests WHERE run_id='" + run.runId()
        + "' AND \"name\" != 'total'")).isEqualTo(50);
  }

  @Test
  void aRejectedPasswordDropsAndCountsWithoutRetryingOrLoggingIt() throws Exception {
    RunInfo run = newRun();
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ListenerDelivery delivery;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      delivery = run(run, WRONG_PASSWORD, 20);
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);

    assertThat(delivery.failed()).isEqualTo(20);
    assertThat(delivery.report().details()).containsEntry("retries", 0L).containsEntry("points_written", 0L);
    assertThat(logs).contains("HTTP 401").doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD);
    assertThat(delivery.report().toString()).doesNotContain(WRONG_PASSWORD);
    assertThat((long) server.scalar(DB, "SELECT sum(\"count\") FROM requests WHERE run_id='" + run.runId() + "'"))
        .isZero();
  }
}
