package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.config.ConfigSource;
import dev.stampede.stats.IntervalStats;
import dev.stampede.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

class InfluxListenerTest {

  private static final RunInfo RUN = new RunInfo("r1", "gen-1", "http://target", "shop", Map.of("env", "ci"),
      Instant.ofEpochMilli(1_000_000));


  /** Records every written line; fails the first {@code failures} writes as told. */
  static final class FakeTransport implements InfluxTransport {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile boolean retryable = true;
    volatile boolean databaseCreated;

    @Override
    public void write(List<Point> points) {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new WriteException("InfluxDB unreachable: test", retryable, null);
      }
      for (Point point : points) {
        lines.add(point.lineProtocol(TimeUnit.NANOSECONDS));
      }
    }

    @Override
    public void createDatabase() {
      databaseCreated = true;
    }

    List<String> measurement(String name) {
      return lines.stream().filter(l -> l.startsWith(name + ",")).toList();
    }
  }

  private final ManualClock clock = new ManualClock(1_000_000);
  private final FakeTransport transport = new FakeTransport();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  private InfluxListener listener(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(Map.of("influx.retry-backoff", "100ms", "influx.retry-max-backoff", "1s",
        "influx.flush-timeout", "5s"));
    values.putAll(extra);
    return InfluxListener.builder().config(InfluxConfig.from(ConfigSource.of(values))).clock(clock)
        .transport(transport).sleeper(sleeps::add).build();
  }

  private static RequestResult result(String method, String name, long millis, String failure) {
    return new RequestResult(1_000_000_000L, method, name, millis * 1_000_000, 100, failure == null ? 200 : 500,
        failure, RUN.tags());
  }

  private static Summary summary(long count, long failures) {
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, count, failures, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Summary(RUN, RUN.startedAt(), Duration.ofSeconds(2), 3, List.of(), total, List.of(), 0);
  }

  private static Snapshot snapshot(long epochMillis, int users) {
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Snapshot(epochMillis, 1, users, total, List.of(), 0, 0, 0, 0, 0);
  }

  @Test
  void warmUpWritesNothingAndLeavesTheRunsCountsAlone() {
    InfluxListener listener = listener(Map.of());
    listener.warmUp(Duration.ofMillis(300));
    listener.onStart(RUN);
    listener.onResults(List.of(result("GET", "/a", 10, null)));
    listener.onStop(summary(1, 0));

    assertThat(transport.lines).noneMatch(l -> l.contains("warm-up"));
    assertThat(transport.measurement("requests")).hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("count=1i"));
  }

  @Test
  void writesOnePointPerEndpointPerStepPlusTotalUsersErrorsAndEvents() {
    InfluxListener listener = listener(Map.of());
    listener.onStart(RUN);
    listener.onResults(List.of(result("GET", "/a", 10, null), result("GET", "/a", 30, "HTTP 500"),
        result("POST", "/b", 20, null)));
    clock.advance(Duration.ofSeconds(1));
    listener.onTick(snapshot(clock.millis(), 7));
    listener.onResults(List.of(result("GET", "/a", 40, null)));
    listener.onStop(summary(4, 1));

    assertThat(transport.databaseCreated).isTrue();
    List<String> requests = transport.measurement("requests");
    assertThat(requests).hasSize(5);
    assertThat(requests).filteredOn(l -> l.contains("name=total"))
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).doesNotContain("method="));
    assertThat(requests.get(0))
        .startsWith("requests,env=ci,instance=gen-1,method=GET,name=/a,run_id=r1 ")
        .contains("count=2i", "failures=1i", "bytes=200i", "rps=2.0", "mean=20.0", "min=10.0", "max=30.0",
            "p50=", "p90=", "p95=", "p99=")
        .endsWith(" " + TimeUnit.MILLISECONDS.toNanos(1_000_000));
    assertThat(transport.measurement("users")).singleElement().asString().contains("count=7i");
    assertThat(transport.measurement("errors")).singleElement().asString()
        .contains("error=HTTP\\ 500", "method=GET", "name=/a", "count=1i");
    assertThat(transport.measurement("events")).hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("kind=start", "text=\"scenario shop against http://target"))
        .anySatisfy(l -> assertThat(l).contains("kind=stop", "4 requests, 1 failures"));
    ExportReport report = listener.report();
    assertThat(report.failed()).isZero();
    assertThat(report.details()).containsEntry("points_written", (long) transport.lines.size())
        .containsEntry("points_dropped", 0L);
  }

  @Test
  void rawModeWritesOnePointPerRequestWithDistinctTimes() {
    InfluxListener listener = listener(Map.of("influx.mode", "raw"));
    assertThat(listener.feed()).as("raw mode needs every result").isEqualTo(dev.stampede.Listener.Feed.RESULTS);
    assertThat(listener(Map.of()).feed()).isEqualTo(dev.stampede.Listener.Feed.INTERVALS);
    listener.onStart(RUN);
    listener.onResults(List.of(result("GET", "/a", 10, null), result("GET", "/a", 12, "timeout")));
    listener.onStop(summary(2, 1));

    List<String> requests = transport.measurement("requests");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).contains("count=1i", "failures=1i", "error=\"timeout\"", "response_time=12.0");
    assertThat(requests.get(0).substring(requests.get(0).lastIndexOf(' ')))
        .isNotEqualTo(requests.get(1).substring(requests.get(1).lastIndexOf(' ')));
  }

  @Test
  void skipsNonFiniteValuesInsteadOfWritingThem() {
    InfluxPoints points = new InfluxPoints(RUN);
    Histogram histogram = new Histogram(3);
    histogram.recordValue(1_000);
    IntervalStats.Endpoint endpoint = new IntervalStats.Endpoint("GET", "/x", 1, 0, 5, Double.NaN,
        Double.POSITIVE_INFINITY, 1.0, histogram, Map.of());
    List<InfluxPoints.Weighted> written = points.interval(new IntervalStats(0, 1_000, List.of(endpoint), endpoint));

    String line = written.get(0).point().lineProtocol();
    assertThat(line).contains("max=1.0", "count=1i").doesNotContain("mean", "min=", "NaN", "Infinity");
    assertThat(written.get(0).results()).isEqualTo(1);
    assertThat(written.get(1).results()).isZero();
  }

  @Test
  void writesTheExactNameInAFieldWhenTheTagNeedsAStandIn() {
    InfluxListener listener = listener(Map.of());
    listener.onStart(RUN);
    listener.onResults(List.of(result("GET", "/new\nline", 10, null), result("GET", "/plain", 10, null)));
    listener.onStop(summary(2, 0));

    assertThat(transport.measurement("requests"))
        .anySatisfy(l -> assertThat(l).contains("name=/new%0Aline", "endpoint=\"/new\nline\""))
        .anySatisfy(l -> assertThat(l).contains("name=/plain").doesNotContain("endpoint="));
  }

  @Test
  void retriesWithBackoffUntilInfluxAcceptsAndLosesNothing() {
    transport.failuresLeft.set(4);
    InfluxListener listener = listener(Map.of());
    listener.onStart(RUN);
    listener.onResults(List.of(result("GET", "/a", 10, null)));
    listener.onStop(summary(1, 0));

    // The SPI's backoff: doubling from influx.retry-backoff, each delay jittered within its upper half.
    assertThat(sleeps).hasSize(4);
    for (int i = 0; i < 4; i++) {
      Duration full = Duration.ofMillis(100L << i);
      assertThat(sleeps.get(i)).isBetween(full.dividedBy(2), full);
    }
    ExportReport report = listener.report();
    assertThat(report.failed()).isZero();
    assertThat(report.details()).containsEntry("retries", 4L).containsEntry("points_dropped", 0L);
    assertThat(transport.measurement("requests")).hasSize(2);
  }

  @Test
  void dropsAndCountsBatchesInfluxRejectsForGood() {
    transport.failuresLeft.set(Integer.MAX_VALUE);
    transport.retryable = false;
    InfluxListener listener = listener(Map.of());
    listener.onStart(RUN);
    listener.onResults(List.of(result("GET", "/a", 10, null), result("GET", "/b", 10, null),
        result("GET", "/b", 10, null)));
    listener.onStop(summary(3, 0));

    ExportReport report = listener.report();
    assertThat(report.failed()).isEqualTo(3);
    assertThat(report.details()).containsEntry("retries", 0L).containsEntry("points_written", 0L);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void dropsAndCountsWhatDoesNotFitTheBufferWhileInfluxIsDown() {
    transport.failuresLeft.set(Integer.MAX_VALUE);
    InfluxListener listener = listener(Map.of("influx.buffer-size", "2", "influx.flush-timeout", "200ms"));
    listener.onStart(RUN);
    List<RequestResult> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(result("GET", "/e" + i, 10, null));
      batch.add(result("GET", "/e" + i, 10, null));
    }
    listener.onResults(batch);
    listener.onStop(summary(10, 0));

    ExportReport report = listener.report();
    // Nothing reached InfluxDB, so every result is reported as failed, whether its point was
    // refused by the full buffer or still held at the flush timeout.
    assertThat(report.failed()).isEqualTo(10);
    assertThat(report.details()).containsEntry("points_written", 0L);
    assertThat((long) report.details().get("points_dropped")).isGreaterThanOrEqualTo(6L);
    assertThat((long) report.details().get("peak_buffered_points")).isLessThanOrEqualTo(2L);
  }

  @Test
  void neverLogsOrReportsThePasswordOrToken() throws Exception {
    String password = "pw-Secr3t-do-not-print";
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    InfluxListener listener;
    ExportReport report;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // A real client against a port nothing listens on: every write fails and is logged.
      listener = InfluxListener.builder().config(InfluxConfig.from(ConfigSource.of(Map.of(
              "influx.url", "http://127.0.0.1:1", "influx.user", "admin", "influx.password", password,
              "influx.timeout", "200ms", "influx.retry-backoff", "10ms", "influx.flush-timeout", "300ms"))))
          .build();
      listener.onStart(RUN);
      listener.onResults(List.of(result("GET", "/a", 10, null)));
      listener.onStop(summary(1, 0));
      report = listener.report();
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);

    assertThat(logs).contains("InfluxDB").doesNotContain(password);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.toString()).doesNotContain(password);
    assertThat(listener.toString()).contains("url=http://127.0.0.1:1").doesNotContain(password);
  }
}
