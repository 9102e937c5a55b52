package dev.stampede.listener.cloudwatch;

import dev.stampede.EndpointStats;
import dev.stampede.Listener;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Drives a listener through a run on a {@link ManualClock}, second by second, the way the result
 * bus does (results, then a tick), and keeps the engine-side truth: totals and, per 10 s interval,
 * an HdrHistogram of the same response times.
 */
final class SimulatedRun {

  /** A step-aligned start, so intervals are [start + 10k s, start + 10(k+1) s). */
  static final long START_MILLIS = 1_790_000_000_000L - Math.floorMod(1_790_000_000_000L, 60_000L);

  final RunInfo run = new RunInfo("sim-run-1", "gen-1", "http://127.0.0.1:1", "sim", Map.of(), Instant.ofEpochMilli(START_MILLIS));
  final ManualClock clock = new ManualClock(START_MILLIS);
  final Map<Long, Histogram> totalMicrosByIntervalStart = new HashMap<>();
  long requests;
  long failures;

  private final SplittableRandom random = new SplittableRandom(42);

  /** A result with a log-normal response time (median about 40 ms, from under 1 ms to seconds). */
  RequestResult result(String method, String name, boolean failed) {
    double millis = Math.exp(Math.log(40) + 1.4 * gaussian());
    long nanos = Math.max(1_000, (long) (millis * 1e6));
    return new RequestResult(clock.millis() * 1000, method, name, nanos, 512, failed ? 500 : 200,
        failed ? "HTTP 500" : null, Map.of());
  }

  private double gaussian() {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Runs {@code seconds} seconds at {@code ratePerSecond} requests spread over {@code endpoints},
   * every 20th failing, then stops the listener.
   */
  void run(Listener listener, int seconds, int ratePerSecond, List<String> endpoints) {
    listener.onStart(run);
    drive(listener, seconds, ratePerSecond, endpoints);
    listener.onStop(summary(run, requests, failures));
  }

  /** Like {@link #run} after {@code onStart}, without stopping. */
  void drive(Listener listener, int seconds, int ratePerSecond, List<String> endpoints) {
    for (int second = 0; second < seconds; second++) {
      long intervalStart = clock.millis() - Math.floorMod(clock.millis() - START_MILLIS, 10_000L);
      Histogram histogram = totalMicrosByIntervalStart.computeIfAbsent(intervalStart, k -> new Histogram(3));
      List<RequestResult> batch = new ArrayList<>();
      for (int i = 0; i < ratePerSecond; i++) {
        boolean failed = (requests % 20) == 19;
        RequestResult result = result(i % 3 == 0 ? "POST" : "GET", endpoints.get(i % endpoints.size()), failed);
        batch.add(result);
        histogram.recordValue(result.responseTimeNanos() / 1000);
        requests++;
        failures += failed ? 1 : 0;
        if (batch.size() == 1_000) {
          listener.onResults(batch);
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        listener.onResults(batch);
      }
      listener.onTick(snapshot(clock.millis(), 10));
      clock.advance(Duration.ofSeconds(1));
    }
  }

  static Snapshot snapshot(long millis, int users) {
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Snapshot(millis, 1, users, total, List.of(), 0, 0, 0, 0, 0);
  }

  static Summary summary(RunInfo run, long count, long failures) {
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, count, failures, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Summary(run, run.startedAt(), Duration.ofSeconds(60), 10, List.of(), total, List.of(), 0);
  }
}
