package dev.stampede.engine;

import dev.stampede.LoadShape;
import dev.stampede.Shard;

/**
 * Splits a run's targets to one shard's part ({@link Shard}): users and arrival rate by the shard's
 * segment, so the shards sum exactly to the whole, and the spawn rate in proportion to the users,
 * so every shard's ramp ends when the whole run's would.
 */
final class ShardedLoad {

  private final Shard shard;

  ShardedLoad(Shard shard) {
    this.shard = shard;
  }

  /** This shard's part of a target the whole run aims at. */
  LoadShape.Target split(LoadShape.Target whole) {
    if (shard.whole()) {
      return whole;
    }
    int users = shard.part(whole.users());
    double arrivalRate = shard.part(whole.arrivalRate());
    if (arrivalRate > 0 && users == 0) {
      // Open model: users only bound the concurrency; a shard with iterations to start needs one.
      users = 1;
    }
    double spawnRate = whole.users() == 0 || users == 0
        ? whole.spawnRate()
        : whole.spawnRate() * users / whole.users();
    return new LoadShape.Target(users, spawnRate, arrivalRate);
  }

  /** A load shape whose every target is split to this shard. */
  LoadShape split(LoadShape whole) {
    if (whole == null || shard.whole()) {
      return whole;
    }
    return elapsed -> {
      LoadShape.Target target = whole.tick(elapsed);
      return target == null ? null : split(target);
    };
  }

  /**
   * The open model's first intended start after the run's start: shards interleave their
   * iterations so that together they start one every 1/rate seconds, not N at once.
   */
  long phaseNanos(double wholeRate) {
    if (shard.whole() || !(wholeRate > 0)) {
      return 0;
    }
    return (long) (shard.index() * 1e9 / wholeRate);
  }
}
