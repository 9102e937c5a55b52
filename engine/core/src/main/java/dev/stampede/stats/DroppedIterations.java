package dev.stampede.stats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open model: iterations that could not start because every user was busy, counted with the other
 * statistics of a run (so a warm-up or a reset starts them afresh) and per second of the run's
 * first minute, to tell a cold start (drops at the beginning only) from a lack of users.
 */
public final class DroppedIterations {

  /** Seconds from the start of the statistics that are counted one by one. */
  static final int SECONDS_KEPT = 60;

  private final long startMillis;
  private final LongAdder total = new LongAdder();
  private final AtomicLongArray perSecond = new AtomicLongArray(SECONDS_KEPT);

  DroppedIterations(long startMillis) {
    this.startMillis = startMillis;
  }

  /** One iteration was due at {@code nowMillis} (epoch milliseconds) and could not start. */
  public void record(long nowMillis) {
    total.increment();
    long second = (nowMillis - startMillis) / 1000;
    if (second >= 0 && second < SECONDS_KEPT) {
      perSecond.incrementAndGet((int) second);
    }
  }

  /** Every dropped iteration. */
  public long total() {
    return total.sum();
  }

  /** Dropped iterations within {@code window} of the start (whole seconds, at most a minute). */
  public long within(Duration window) {
    long seconds = Math.min(SECONDS_KEPT, Math.max(0, window.toSeconds()));
    long sum = 0;
    for (int i = 0; i < seconds; i++) {
      sum += perSecond.get(i);
    }
    return sum;
  }
}
