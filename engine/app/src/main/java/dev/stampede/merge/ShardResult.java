package dev.stampede.merge;

import dev.stampede.FailureStats;
import dev.stampede.Shard;
import dev.stampede.config.ConfigException;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.stats.RunHistograms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One shard's result as {@code stampede merge} reads it back from a {@code --json} file of format
 * version 2 ({@link RunResultFile}, with histograms).
 *
 * @param source where it was read from, for messages
 * @param runId the run's id
 * @param shard which shard it is
 * @param instance the load generator's name
 * @param host the target
 * @param scenario the scenario's name
 * @param tags the run's tags
 * @param startedAt when the run began (before any scheduled wait)
 * @param statisticsFrom when its statistics began
 * @param finishedAt when its last user stopped
 * @param startAt the scheduled start instant, or null
 * @param startSkew how late its load began against {@code startAt}, or null
 * @param users the most users it ran at once
 * @param droppedIterations open model: iterations it could not start
 * @param cancelledAtStop requests in flight when its stop cut its users off
 * @param histograms its mergeable statistics
 * @param failures its failures table
 * @param taskErrors exceptions out of its tasks
 * @param history its per-second series, empty when its file has none
 */
public record ShardResult(
    String source,
    String runId,
    Shard shard,
    String instance,
    String host,
    String scenario,
    Map<String, String> tags,
    Instant startedAt,
    Instant statisticsFrom,
    Instant finishedAt,
    Instant startAt,
    Duration startSkew,
    int users,
    long droppedIterations,
    long cancelledAtStop,
    RunHistograms histograms,
    List<FailureStats> failures,
    Map<String, Long> taskErrors,
    List<HistoryPoint> history) {

  /**
   * Reads a shard's result.
   *
   * @throws ConfigException naming {@code source} and what is wrong, e.g. a result written before
   *     histograms (format version 1), which cannot be merged exactly
   */
  public static ShardResult read(byte[] json, String source) {
    RunResultFile result = ResultJson.read(json, "shard result " + source);
    if (result.formatVersion() < RunResultFile.FORMAT_VERSION || result.total().histogram() == null) {
      throw new ConfigException("shard result " + source + " has no histograms (format version " + result.formatVersion()
          + "; merging needs version " + RunResultFile.FORMAT_VERSION + ", written by --json of this Stampede):"
          + " percentiles cannot be merged without them");
    }
    RunHistograms histograms;
    try {
      histograms = result.histograms();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("shard result " + source + " cannot be read: " + e.getMessage());
    }
    RunResultFile.ShardPart part = result.shard() == null ? RunResultFile.ShardPart.WHOLE : result.shard();
    List<FailureStats> failures = new ArrayList<>();
    for (RunResultFile.Failure f : result.failures()) {
      failures.add(new FailureStats(f.method(), f.name(), f.error(), f.occurrences(),
          f.firstSeen() == null ? 0 : f.firstSeen().toEpochMilli(), f.lastSeen() == null ? 0 : f.lastSeen().toEpochMilli()));
    }
    Shard shard;
    try {
      shard = new Shard(part.index(), part.count());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("shard result " + source + " cannot be read: " + e.getMessage());
    }
    return new ShardResult(source, result.runId(), shard, result.instance(), result.host(), result.scenario(),
        result.tags(), result.startedAt(), result.statisticsFrom(), result.finishedAt(), part.startAt(),
        part.startSkewMs() == null ? null : Duration.ofNanos(Math.round(part.startSkewMs() * 1e6)),
        result.users(), result.droppedIterations(), result.cancelledAtStop(), histograms, failures, result.taskErrors(),
        result.history() == null ? List.of() : result.history().stream().map(RunResultFile.HistoryRow::toPoint).toList());
  }
}
