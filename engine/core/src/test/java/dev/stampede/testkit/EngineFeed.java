package dev.stampede.testkit;

import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.Snapshot;
import dev.stampede.bus.ResultBus;
import dev.stampede.stats.RunStats;
import java.util.List;

/**
 * Hands results to a bus as the engine does, whatever each listener's feed: every result is
 * counted into the engine's statistics and published, and every {@link #tick} passes the
 * statistics' interval on before the snapshot. Call {@link #tick} once more before the bus's stop,
 * as the engine's last tick does.
 */
public final class EngineFeed {
  private final ResultBus bus;
  private final RunStats stats;

  public EngineFeed(ResultBus bus) {
    this.bus = bus;
    this.stats = new RunStats(System.currentTimeMillis(), 100);
    stats.intervalsForListeners(bus.takesIntervals());
  }

  /** Records and publishes one result. */
  public void record(RequestResult result) {
    stats.record(result.method(), result.name(), result.responseTimeNanos(), result.bytes(), result.failure(),
        result.startEpochMicros() / 1_000);
    if (bus.takesResults()) {
      bus.publish(result);
    }
  }

  /** Ticks now: the interval since the last tick, then a snapshot with {@code users}. */
  public void tick(int users) {
    stats.tick(System.currentTimeMillis(), users);
    stats.takeIntervals().forEach(bus::interval);
    bus.tick(snapshot(users));
  }

  /** A snapshot with {@code users} and no statistics. */
  public static Snapshot snapshot(int users) {
    double[] zeros = new double[Percentiles.REPORTED.length];
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(zeros));
    return new Snapshot(System.currentTimeMillis(), 1, users, total, List.of(), 0, 0, 0, 0, 0);
  }
}
