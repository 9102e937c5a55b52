package dev.stampede.merge;

import dev.stampede.Shard;
import dev.stampede.result.RunResultFile;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which shard a result is and how its start went.
 *
 * @param shard the shard ({@link Shard#WHOLE} for a run that is not distributed)
 * @param startAt the scheduled start instant ({@code --start-at}), or {@code null}
 * @param startSkew how much later than {@code startAt} the load began (negative: earlier), or
 *     {@code null} without a scheduled start
 */
public record ShardInfo(Shard shard, Instant startAt, Duration startSkew) {

  /** A run that is not distributed and not scheduled. */
  public static final ShardInfo WHOLE = new ShardInfo(Shard.WHOLE, null, null);

  public ShardInfo {
    Objects.requireNonNull(shard, "shard");
  }

  /** This shard as its result file records it. */
  public RunResultFile.ShardPart part() {
    return new RunResultFile.ShardPart(shard.index(), shard.count(), startAt,
        startSkew == null ? null : startSkew.toNanos() / 1e6);
  }
}
