package dev.stampede.cli;

import dev.stampede.Shard;
import dev.stampede.config.ConfigException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of a distributed run's shard, mixed into {@code stampede run}: which shard this
 * process is, when every shard starts, and the HdrHistogram log.
 */
public final class ShardOptions {

  /** The environment variable of a Kubernetes Indexed Job's pod: its index, 0-based. */
  public static final String JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";
  /** The environment variable that says how many shards the run has, next to the index. */
  public static final String STAMPEDE_SHARDS = "STAMPEDE_SHARDS";

  @Option(names = "--shard", paramLabel = "I/N",
      description = "Runs shard I (0-based) of N: users and rates are split so the N shards sum exactly to the"
          + " whole. Default: $" + JOB_COMPLETION_INDEX + "/$" + STAMPEDE_SHARDS + " when both are set, else 0/1.")
  String shard;

  @Option(names = "--start-at", paramLabel = "TIME",
      description = "Prepares, then starts the load at TIME (RFC 3339, e.g. 2026-12-01T10:00:00Z, or epoch seconds).")
  String startAt;

  @Option(names = "--start-tolerance", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "2s",
      description = "With --start-at: a shard ready later than this after TIME exits with code 4. Default: ${DEFAULT-VALUE}.")
  Duration startTolerance;

  @Option(names = "--join-late", description = "With --start-at: a late shard starts anyway (its skew is recorded).")
  boolean joinLate;

  @Option(names = "--expect-shards", paramLabel = "N",
      description = "With --start-at and --results-dir: waits until all N shards wrote their ready marker;"
          + " exit 3 when one is still missing --start-tolerance after TIME.")
  Integer expectShards;

  @Option(names = "--hdr-log", paramLabel = "FILE",
      description = "Writes each second's response-time histograms in HdrHistogram's log format, one tag per endpoint.")
  Path hdrLog;

  /**
   * This process's shard: {@code --shard}, else {@code JOB_COMPLETION_INDEX} of
   * {@code STAMPEDE_SHARDS} when both are set, else {@link Shard#WHOLE}.
   *
   * @throws ConfigException when a value is malformed
   */
  public Shard shard(Map<String, String> environment) {
    if (shard != null) {
      try {
        return Shard.parse(shard);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--shard: " + e.getMessage());
      }
    }
    String count = environment.get(STAMPEDE_SHARDS);
    if (count == null || count.isBlank()) {
      return Shard.WHOLE;
    }
    String index = environment.get(JOB_COMPLETION_INDEX);
    if (index == null || index.isBlank()) {
      throw new ConfigException(STAMPEDE_SHARDS + "=" + count + " is set but " + JOB_COMPLETION_INDEX
          + " is not (give --shard I/N)");
    }
    try {
      return Shard.parse(index.trim() + "/" + count.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(JOB_COMPLETION_INDEX + "=" + index + ", " + STAMPEDE_SHARDS + "=" + count + ": "
          + e.getMessage());
    }
  }

  /** The start instant, or {@code null} without {@code --start-at}. */
  public Instant startAt() {
    return startAt == null ? null : parseInstant(startAt);
  }

  /** Every problem with these options, given whether a results store is configured. */
  List<String> problems(boolean resultsStore, int repeat, boolean web) {
    List<String> problems = new ArrayList<>();
    if (startAt != null) {
      try {
        parseInstant(startAt);
      } catch (ConfigException e) {
        problems.add(e.getMessage());
      }
    }
    if (startTolerance.isNegative()) {
      problems.add("--start-tolerance must be >= 0 but was " + startTolerance);
    }
    if (joinLate && startAt == null) {
      problems.add("--join-late needs --start-at");
    }
    if (expectShards != null) {
      if (startAt == null || !resultsStore) {
        problems.add("--expect-shards needs --start-at and --results-dir (where ready markers are written)");
      }
      if (expectShards < 1) {
        problems.add("--expect-shards must be >= 1 but was " + expectShards);
      }
    }
    if ((shard != null || startAt != null) && repeat > 1) {
      problems.add("--repeat cannot be used with --shard or --start-at");
    }
    if ((shard != null || startAt != null) && web) {
      problems.add("--web cannot be used with --shard or --start-at");
    }
    return problems;
  }

  /**
   * Reads an instant: RFC 3339 ({@code 2026-12-01T10:00:00Z}, {@code +01:00} offsets) or epoch
   * seconds, with a fraction if wanted ({@code 1764583200.5}).
   */
  static Instant parseInstant(String text) {
    String trimmed = text.trim();
    if (trimmed.matches("\\d+(\\.\\d+)?")) {
      BigDecimal seconds = new BigDecimal(trimmed);
      return Instant.ofEpochSecond(seconds.longValue(),
          seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    try {
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException("--start-at must be an RFC 3339 time such as 2026-12-01T10:00:00Z or epoch"
          + " seconds but was \"" + text + "\"");
    }
  }
}
