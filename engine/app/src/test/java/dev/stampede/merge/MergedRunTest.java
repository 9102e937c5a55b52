package dev.stampede.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import dev.stampede.Shard;
import dev.stampede.config.ConfigException;
import dev.stampede.result.RunResultFile;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.HistoryPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergedRunTest {

  @TempDir
  Path dir;

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** Three shards with very different latency distributions: averaging their percentiles would be far off. */
  static long[][] shardValues() {
    Random random = new Random(42);
    long[][] values = new long[3][];
    int[] sizes = {5000, 3000, 700};
    long[] scales = {2_000, 20_000, 300_000};
    for (int s = 0; s < 3; s++) {
      values[s] = new long[sizes[s]];
      for (int i = 0; i < sizes[s]; i++) {
        values[s][i] = 1 + (long) (-Math.log(1 - random.nextDouble()) * scales[s]);
      }
    }
    return values;
  }

  List<ShardResult> shards(long[][] values) throws Exception {
    List<ShardResult> shards = new ArrayList<>();
    for (int s = 0; s < values.length; s++) {
      byte[] json = ShardResults.json("run-1", new Shard(s, values.length), values[s], T0.plusMillis(s * 100L), 10 + s);
      shards.add(ShardResult.read(json, "shard-" + s + ".json"));
    }
    return shards;
  }

  @Test
  void theMergedHistogramEqualsOneHistogramOfEveryValue() throws Exception {
    long[][] values = shardValues();
    Histogram union = new Histogram(EndpointHistogram.SIGNIFICANT_DIGITS);
    long count = 0;
    for (long[] shard : values) {
      for (long v : shard) {
        union.recordValue(v);
        count++;
      }
    }

    MergedRun merged = MergedRun.of(shards(values));

    assertThat(merged.total().micros()).isEqualTo(union);
    assertThat(merged.total().count()).isEqualTo(count);
    EndpointStats total = merged.outcome().summary().total();
    for (double p : Percentiles.REPORTED) {
      long expected = p >= 100 ? union.getMaxValue() : union.getValueAtPercentile(p);
      assertThat(total.percentiles().at(p)).as("p%s", p).isEqualTo(expected / 1000.0);
    }
    assertThat(merged.outcome().summary().endpoints()).singleElement()
        .satisfies(e -> assertThat(e.percentiles()).isEqualTo(total.percentiles()));
  }

  @Test
  void neverAveragesPercentiles() throws Exception {
    List<ShardResult> shards = shards(shardValues());
    double meanOfP99s = shards.stream()
        .mapToDouble(s -> s.histograms().total().micros().getValueAtPercentile(99) / 1000.0).average().orElseThrow();

    double merged = MergedRun.of(shards).outcome().summary().total().percentiles().at(99);

    assertThat(merged).isNotCloseTo(meanOfP99s, org.assertj.core.data.Percentage.withPercentage(10));
  }

  @Test
  void countsRatesOverTheEarliestStartToTheLatestEndAndSumsCounters() throws Exception {
    long[][] values = shardValues();
    MergedRun merged = MergedRun.of(shards(values));

    var summary = merged.outcome().summary();
    // Shard 2 starts at T0 + 200 ms and lasts 12 s: the run spans 12.2 s.
    assertThat(summary.statisticsFrom()).isEqualTo(T0);
    assertThat(summary.duration().toMillis()).isEqualTo(12_200);
    assertThat(summary.total().rps()).isCloseTo(8700 / 12.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(summary.total().failures()).isEqualTo(1000 + 600 + 140);
    assertThat(summary.failures()).singleElement().satisfies(f -> assertThat(f.occurrences()).isEqualTo(1740));
    assertThat(summary.peakUsers()).isEqualTo(6);
    // ShardResults cuts shard I's stop short with I requests in flight.
    assertThat(summary.cancelledAtStop()).isEqualTo(0 + 1 + 2);
    long sumMicros = 0;
    for (long[] shard : values) {
      for (long v : shard) {
        sumMicros += v;
      }
    }
    assertThat(summary.total().mean()).isCloseTo(sumMicros / 1000.0 / 8700, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void refusesShardsOfDifferentRunsAndAnIndexTwice() throws Exception {
    byte[] a = ShardResults.json("run-1", new Shard(0, 2), new long[] {5}, T0, 1);
    byte[] b = ShardResults.json("run-2", new Shard(0, 2), new long[] {5}, T0, 1);

    assertThatThrownBy(() -> MergedRun.of(List.of(ShardResult.read(a, "a"), ShardResult.read(b, "b"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("b is of run run-2, not run-1")
        .hasMessageContaining("b and a are both shard 0/2");
  }

  @Test
  void aResultWithoutHistogramsStillLoadsForTheGateButCannotBeMerged() throws Exception {
    Path old = dir.resolve("old.json");
    Files.writeString(old, """
        {"run_id": "old", "started_at": "2026-01-01T00:00:00Z", "duration_s": 10, "users": 1,
         "endpoints": {"GET /x": {"method": "GET", "name": "/x", "count": 10, "failures": 0, "rps": 1,
           "mean": 1, "min": 1, "max": 1, "p50": 1, "p66": 1, "p75": 1, "p80": 1, "p90": 1, "p95": 1, "p98": 1,
           "p99": 1, "p999": 1, "p9999": 1, "p100": 1, "bytes_mean": 2}},
         "total": {"method": "", "name": "Aggregated", "count": 10, "failures": 0, "rps": 1,
           "mean": 1, "min": 1, "max": 1, "p50": 1, "p66": 1, "p75": 1, "p80": 1, "p90": 1, "p95": 1, "p98": 1,
           "p99": 1, "p999": 1, "p9999": 1, "p100": 1, "bytes_mean": 2}}
        """);

    assertThat(dev.stampede.result.ResultJson.read(old).total().count()).isEqualTo(10);
    assertThatThrownBy(() -> ShardResult.read(Files.readAllBytes(old), "old.json"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("shard result old.json has no histograms (format version 1;");
  }

  @Test
  void aNewResultStillLoadsForTheGate() throws Exception {
    Path file = dir.resolve("new.json");
    Files.write(file, ShardResults.json("run-1", new Shard(0, 1), new long[] {1000, 2000}, T0, 1));

    assertThat(dev.stampede.result.ResultJson.read(file).total().count()).isEqualTo(2);
  }

  @Test
  void sumsTheShardsPerSecondSeriesSecondBySecondAndLeavesPercentilesOut() throws Exception {
    // Three shards, each with 2 users at 10 then 20 requests/s (10 and 30 requests so far), ticking ms apart.
    List<HistoryPoint> history = MergedRun.of(shards(new long[][] {{1}, {2}, {3}})).outcome().history();

    assertThat(history).extracting(HistoryPoint::users, HistoryPoint::rps, HistoryPoint::failuresPerSecond,
        HistoryPoint::totalCount, HistoryPoint::totalFailures)
        .containsExactly(tuple(6, 30.0, 3.0, 30L, 3L), tuple(6, 60.0, 6.0, 90L, 9L));
    assertThat(history.get(1).epochMillis()).isEqualTo(T0.toEpochMilli() + 2000 + 200 + 6);
    assertThat(history).allSatisfy(point -> assertThat(point.percentiles().values()).containsOnly(Double.NaN));
  }

  @Test
  void countsAShardThatStoppedEarlierWithItsLastTotalsAndNoUsers() {
    Percentiles p = new Percentiles(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    long t = T0.toEpochMilli();
    ShardResult early = shard(0, List.of(new HistoryPoint(t + 1000, 1, 3, 5, 0, p, 5, 0)));
    // The late shard's last, partial interval (0.25 s at 8/s) ends in the second of its last full one (4/s).
    ShardResult late = shard(1, List.of(new HistoryPoint(t + 1004, 1, 2, 7, 1, p, 7, 1),
        new HistoryPoint(t + 2004, 1, 2, 4, 0, p, 11, 1), new HistoryPoint(t + 2254, 0.25, 0, 8, 0, p, 13, 1)));

    List<HistoryPoint> history = MergedRun.history(List.of(early, late));

    assertThat(history).extracting(HistoryPoint::users, HistoryPoint::rps, HistoryPoint::totalCount,
        HistoryPoint::epochMillis).containsExactly(tuple(5, 12.0, 12L, t + 1004), tuple(0, 4.8, 18L, t + 2254));
  }

  private static ShardResult shard(int index, List<HistoryPoint> history) {
    return new ShardResult("shard-" + index, "run-1", new Shard(index, 2), "i", "h", "s", java.util.Map.of(), T0, T0,
        T0.plusSeconds(2), null, null, 2, 0, 0, dev.stampede.stats.RunHistograms.NONE, List.of(), java.util.Map.of(), history);
  }
}
