package dev.stampede.cli;

import dev.stampede.Shard;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.merge.ShardInfo;
import dev.stampede.report.HdrLog;
import dev.stampede.store.ResultsStore;
import dev.stampede.store.ResultsStores;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * What {@link ShardOptions} add to one run: the shard and start gate set on the load test, the
 * HdrHistogram log, and at the end the shard's result written once to the results store as
 * {@code <run>/shard-<I>.json}.
 */
final class ShardedRun implements AutoCloseable {

  private final Shard shard;
  private final String runId;
  private final StartSchedule schedule;
  private final HdrLog hdrLog;
  private final ResultsStore store;

  private ShardedRun(Shard shard, String runId, StartSchedule schedule, HdrLog hdrLog, ResultsStore store) {
    this.shard = shard;
    this.runId = runId;
    this.schedule = schedule;
    this.hdrLog = hdrLog;
    this.store = store;
  }

  /**
   * Configures {@code builder} for the options' shard and start.
   *
   * @param resultsDir {@code --results-dir}, a directory or a plugin's URI, or null
   * @param explicitInstance whether {@code --instance} was given (else the shard names the instance)
   */
  static ShardedRun configure(ShardOptions options, LoadTest.Builder builder, String runId, String resultsDir,
      boolean explicitInstance, ConfigSource settings, Map<String, String> environment, Clock clock) {
    Shard shard = options.shard(environment);
    if (options.expectShards != null && options.expectShards != shard.count()) {
      throw new ConfigException("--expect-shards " + options.expectShards + " must equal the shard count of "
          + shard + " (" + shard.count() + ")");
    }
    boolean distributed = !shard.whole() || options.startAt != null;
    ResultsStore store = resultsDir != null && (distributed || ResultsStores.remote(resultsDir))
        ? ResultsStores.open(resultsDir, settings) : null;
    builder.shard(shard);
    if (!shard.whole() && !explicitInstance) {
      builder.instance("shard-" + shard.index());
    }
    StartSchedule schedule = null;
    Instant startAt = options.startAt();
    if (startAt != null) {
      schedule = new StartSchedule(startAt, options.startTolerance, options.joinLate, shard, clock,
          options.expectShards != null ? store : null, runId);
      builder.startGate(schedule);
    }
    HdrLog hdrLog = null;
    if (options.hdrLog != null) {
      hdrLog = new HdrLog(options.hdrLog);
      builder.intervalHistograms(hdrLog);
    }
    return new ShardedRun(shard, runId, schedule, hdrLog, store);
  }

  /** Which shard this is and how its start went (after the run). */
  ShardInfo info() {
    return schedule == null ? new ShardInfo(shard, null, null)
        : new ShardInfo(shard, schedule.startAt(), schedule.skew());
  }

  /** Whether the result goes to a results store as a shard's file (instead of the directory archive). */
  boolean storesShardResult() {
    return store != null;
  }

  /** The name of this shard's result in the store. */
  static String resultName(String runId, int index) {
    return runId + "/shard-" + index + ".json";
  }

  /**
   * Writes this shard's whole result to the store, once.
   *
   * @return where it was written
   * @throws CannotRunException when another writer already wrote this shard
   */
  String storeResult(RunOutcome outcome) {
    String name = resultName(runId, shard.index());
    try {
      store.create(name, ResultJson.toBytes(RunResultFile.fromOutcome(outcome, info().part())));
    } catch (FileAlreadyExistsException e) {
      throw new CannotRunException("the result of shard " + shard + " of run " + runId + " already exists in "
          + store.location() + " (" + name + "): another process ran this shard; this result was not written");
    } catch (IOException e) {
      throw new CannotRunException("cannot write " + name + " to " + store.location() + ": " + e.getMessage(), e);
    }
    return store.location() + "/" + name;
  }

  /** Ends a wait for {@code --start-at} at once (Ctrl-C, SIGTERM); nothing without {@code --start-at}. */
  void cancelStart() {
    if (schedule != null) {
      schedule.cancel();
    }
  }

  @Override
  public void close() {
    if (hdrLog != null) {
      hdrLog.close();
    }
  }
}
