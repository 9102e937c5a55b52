package dev.stampede.stats;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the engine's own statistics recorded between two ticks, per endpoint: the feed of a listener
 * that takes {@link dev.stampede.Listener.Feed#INTERVALS}. Ticks fall on the wall clock's whole
 * seconds, so an interval lies within one second of the wall clock (the first and the last may be
 * shorter).
 *
 * <p>The counts are the engine's, so over a run the intervals add up exactly to the summary. The
 * histogram is the engine's interval histogram (microseconds, three significant digits); a result
 * recorded while the tick was being taken may sit in the next interval's histogram but this one's
 * counters, or the other way round, never in both or neither.
 *
 * @param startMillis when the interval started (epoch milliseconds): the previous tick, or the load's start
 * @param endMillis when it ended: this tick
 * @param endpoints endpoints with at least one result in the interval, in no particular order
 */
public record TickInterval(long startMillis, long endMillis, List<Endpoint> endpoints) {

  public TickInterval {
    endpoints = List.copyOf(endpoints);
  }

  /** Results in the interval, all endpoints together. */
  public long count() {
    long count = 0;
    for (Endpoint endpoint : endpoints) {
      count += endpoint.count();
    }
    return count;
  }

  /**
   * One endpoint's interval.
   *
   * @param sumNanos the sum of the response times, in nanoseconds
   * @param micros the response times in microseconds; a copy the receiver may keep
   * @param errors failures by error message (as the engine groups them, at most 1,000 messages a run)
   */
  public record Endpoint(String method, String name, long count, long failures, long bytes, long sumNanos,
      Histogram micros, Map<String, Long> errors) {

    public Endpoint {
      errors = Map.copyOf(errors);
    }
  }
}
