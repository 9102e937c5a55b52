package dev.stampede.merge;

import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.RunOutcome;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.stats.RunHistograms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shards of one distributed run added into one result, exactly: counts and raw sums are
 * summed, histograms are added bucket by bucket ({@code Histogram.add}), and every percentile is
 * read from the merged histogram (never an average of the shards' percentiles). Rates are counted
 * over [earliest start of statistics, latest end] of all shards.
 */
public final class MergedRun {

  private final List<ShardResult> shards;
  private final RunOutcome outcome;

  private MergedRun(List<ShardResult> shards, RunOutcome outcome) {
    this.shards = shards;
    this.outcome = outcome;
  }

  /**
   * Merges the shards of one run.
   *
   * @throws ConfigException when they are not shards of one run (different run ids or shard
   *     counts, one index twice)
   */
  public static MergedRun of(List<ShardResult> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("shards must not be empty");
    }
    List<ShardResult> sorted = new ArrayList<>(shards);
    sorted.sort(Comparator.comparingInt(s -> s.shard().index()));
    List<String> problems = new ArrayList<>();
    ShardResult first = sorted.get(0);
    for (int i = 0; i < sorted.size(); i++) {
      ShardResult s = sorted.get(i);
      if (!s.runId().equals(first.runId())) {
        problems.add(s.source() + " is of run " + s.runId() + ", not " + first.runId());
      }
      if (s.shard().count() != first.shard().count()) {
        problems.add(s.source() + " is shard " + s.shard() + ", of another shard count than " + first.shard());
      }
      if (i > 0 && sorted.get(i - 1).shard().index() == s.shard().index()) {
        problems.add(s.source() + " and " + sorted.get(i - 1).source() + " are both shard " + s.shard());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Instant from = sorted.stream().map(ShardResult::statisticsFrom).min(Comparator.naturalOrder()).orElseThrow();
    Instant to = sorted.stream().map(ShardResult::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
    Instant startedAt = sorted.stream().map(ShardResult::startedAt).min(Comparator.naturalOrder()).orElseThrow();
    Duration duration = Duration.between(from, to);
    double seconds = Math.max(duration.toNanos(), 1) / 1e9;
    RunHistograms merged = RunHistograms.sum(sorted.stream().map(ShardResult::histograms).toList());
    List<EndpointStats> endpoints = merged.endpoints().stream().map(e -> e.toStats(seconds)).toList();
    EndpointStats total = merged.total().toStats(seconds);
    RunInfo run = new RunInfo(first.runId(), "merged " + sorted.size() + " of " + first.shard().count() + " shards",
        first.host(), first.scenario(), first.tags(), startedAt);
    Summary summary = new Summary(run, from, duration, sorted.stream().mapToInt(ShardResult::users).sum(),
        endpoints, total, failures(sorted), sorted.stream().mapToLong(ShardResult::droppedIterations).sum(),
        sorted.stream().mapToLong(ShardResult::cancelledAtStop).sum());
    Map<String, Long> taskErrors = new TreeMap<>();
    sorted.forEach(s -> s.taskErrors().forEach((k, v) -> taskErrors.merge(k, v, Long::sum)));
    RunOutcome outcome = new RunOutcome(summary, List.of(), history(sorted), taskErrors, false, null, merged);
    return new MergedRun(List.copyOf(sorted), outcome);
  }

  /**
   * The shards' per-second series added by wall-clock second (the second in which a point's interval
   * ended; shards started at one instant tick within milliseconds of each other): request and failure
   * rates summed over the shards with a point in that second (a shard's points in one second weighted
   * by the time each covers), users over the shards running then, and
   * the cumulative counts over every shard's latest point so far, so they stay exact. Percentiles are
   * left out ({@code NaN}): percentiles of different shards cannot be added, and a result holds no
   * per-second histograms to add instead. Shards without a series add nothing.
   */
  static List<HistoryPoint> history(List<ShardResult> shards) {
    java.util.TreeSet<Long> seconds = new java.util.TreeSet<>();
    for (ShardResult s : shards) {
      s.history().forEach(p -> seconds.add(Math.floorDiv(p.epochMillis(), 1000)));
    }
    double[] none = new double[Percentiles.REPORTED.length];
    java.util.Arrays.fill(none, Double.NaN);
    Percentiles unknown = new Percentiles(none);
    int[] next = new int[shards.size()];
    HistoryPoint[] latest = new HistoryPoint[shards.size()];
    List<HistoryPoint> merged = new ArrayList<>();
    for (long second : seconds) {
      long epochMillis = Long.MIN_VALUE;
      double covered = 0;
      int users = 0;
      double rps = 0;
      double fps = 0;
      long totalCount = 0;
      long totalFailures = 0;
      for (int i = 0; i < shards.size(); i++) {
        List<HistoryPoint> points = shards.get(i).history();
        // A shard's points in this second: usually one; two when its last, partial interval ends
        // within the second of its last full one. Their rates count by the time each covers.
        double shardSeconds = 0;
        double requests = 0;
        double failures = 0;
        while (next[i] < points.size() && Math.floorDiv(points.get(next[i]).epochMillis(), 1000) <= second) {
          latest[i] = points.get(next[i]++);
          if (Math.floorDiv(latest[i].epochMillis(), 1000) == second) {
            epochMillis = Math.max(epochMillis, latest[i].epochMillis());
            shardSeconds += latest[i].seconds();
            requests += latest[i].rps() * latest[i].seconds();
            failures += latest[i].failuresPerSecond() * latest[i].seconds();
          }
        }
        if (shardSeconds > 0) {
          covered = Math.max(covered, shardSeconds);
          rps += requests / shardSeconds;
          fps += failures / shardSeconds;
        }
        if (latest[i] != null) {
          boolean running = next[i] < points.size() || shardSeconds > 0;
          users += running ? latest[i].users() : 0;
          totalCount += latest[i].totalCount();
          totalFailures += latest[i].totalFailures();
        }
      }
      merged.add(new HistoryPoint(epochMillis, covered, users, rps, fps, unknown, totalCount, totalFailures));
    }
    return merged;
  }

  private static List<FailureStats> failures(List<ShardResult> shards) {
    Map<List<String>, FailureStats> byKey = new LinkedHashMap<>();
    for (ShardResult s : shards) {
      for (FailureStats f : s.failures()) {
        byKey.merge(List.of(f.method(), f.name(), f.error()), f, (a, b) -> new FailureStats(a.method(), a.name(),
            a.error(), a.occurrences() + b.occurrences(), Math.min(a.firstSeenEpochMillis(), b.firstSeenEpochMillis()),
            Math.max(a.lastSeenEpochMillis(), b.lastSeenEpochMillis())));
      }
    }
    List<FailureStats> list = new ArrayList<>(byKey.values());
    list.sort(Comparator.comparingLong(FailureStats::occurrences).reversed());
    return list;
  }

  /** The merged result, as a run's outcome (no listeners; the history without percentiles, see {@link #history}). */
  public RunOutcome outcome() {
    return outcome;
  }

  /** The shards merged, by index. */
  public List<ShardResult> shards() {
    return shards;
  }

  /** Every merged endpoint's histogram (and the total), for checks. */
  public RunHistograms histograms() {
    return outcome.histograms();
  }

  /** The merged total's raw statistics. */
  public EndpointHistogram total() {
    return outcome.histograms().total();
  }
}
