package dev.stampede.merge;

import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.RunInfo;
import dev.stampede.Shard;
import dev.stampede.Summary;
import dev.stampede.engine.RunOutcome;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.stats.RunHistograms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Builds shard results from known response times, as a shard's run would have recorded them. */
public final class ShardResults {

  private ShardResults() {}

  /**
   * A shard's outcome with {@code micros} recorded on {@code GET /items} (every fifth failed), its
   * statistics from {@code from} for {@code seconds}, and {@code shard.index()} requests cancelled at stop.
   */
  public static RunOutcome outcome(String runId, Shard shard, long[] micros, Instant from, double seconds) {
    Histogram histogram = new Histogram(EndpointHistogram.SIGNIFICANT_DIGITS);
    long sumNanos = 0;
    long failures = 0;
    for (int i = 0; i < micros.length; i++) {
      histogram.recordValue(micros[i]);
      sumNanos += micros[i] * 1000;
      failures += i % 5 == 0 ? 1 : 0;
    }
    EndpointHistogram items = new EndpointHistogram("GET", "/items", histogram, micros.length, failures,
        micros.length * 100L, sumNanos);
    EndpointHistogram total = items.plus(EndpointHistogram.empty("", EndpointStats.TOTAL_NAME));
    total = new EndpointHistogram("", EndpointStats.TOTAL_NAME, total.micros(), total.count(), total.failures(),
        total.bytes(), total.responseTimeSumNanos());
    RunInfo run = new RunInfo(runId, "shard-" + shard.index(), "http://127.0.0.1:1", "test", Map.of("env", "ci"), from);
    List<FailureStats> failureTable = failures == 0 ? List.of()
        : List.of(new FailureStats("GET", "/items", "HTTP 503", failures, from.toEpochMilli(), from.toEpochMilli() + 10));
    Summary summary = new Summary(run, from, Duration.ofNanos((long) (seconds * 1e9)), 2,
        List.of(items.toStats(seconds)), total.toStats(seconds), failureTable, 0, shard.index());
    // Two seconds of history, ticking a few milliseconds apart on each shard.
    Percentiles p = new Percentiles(new double[] {1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3});
    long tick = from.toEpochMilli() + 3L * shard.index();
    List<HistoryPoint> history = List.of(new HistoryPoint(tick + 1000, 1, 2, 10, 1, p, 10, 1),
        new HistoryPoint(tick + 2000, 1, 2, 20, 2, p, 30, 3));
    return new RunOutcome(summary, List.of(), history, Map.of(), false, null,
        new RunHistograms(List.of(items), total));
  }

  /** The shard's {@code --json} bytes. */
  public static byte[] json(String runId, Shard shard, long[] micros, Instant from, double seconds) throws Exception {
    return ResultJson.toBytes(RunResultFile.fromOutcome(outcome(runId, shard, micros, from, seconds),
        new ShardInfo(shard, from, Duration.ofMillis(shard.index() * 3L)).part()));
  }
}
