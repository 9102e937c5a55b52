package dev.stampede;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The think time a user waits between two tasks.
 *
 * <p>Implementations must be thread-safe: one instance may serve many users.
 */
@FunctionalInterface
public interface WaitTime {

  /**
   * How long to wait after a task.
   *
   * @param taskNanos how long the task that just ended took, in nanoseconds
   * @return nanoseconds to wait, >= 0
   */
  long waitNanos(long taskNanos);

  /** No wait: the next task starts at once. */
  static WaitTime none() {
    return taskNanos -> 0;
  }

  /** A uniformly random wait between {@code minSeconds} and {@code maxSeconds}. */
  static WaitTime between(double minSeconds, double maxSeconds) {
    requireNonNegative("minSeconds", minSeconds);
    if (!(maxSeconds >= minSeconds)) {
      throw new IllegalArgumentException(
          "maxSeconds must be >= minSeconds (" + minSeconds + ") but was " + maxSeconds);
    }
    long min = toNanos(minSeconds);
    long max = toNanos(maxSeconds);
    return taskNanos -> min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  /** Always the same wait. */
  static WaitTime constant(double seconds) {
    long nanos = toNanos(requireNonNegative("seconds", seconds));
    return taskNanos -> nanos;
  }

  /**
   * Whatever wait makes each task start {@code seconds} after the previous one started; no wait
   * when the task took longer.
   */
  static WaitTime constantPacing(double seconds) {
    long pacing = toNanos(requireNonNegative("seconds", seconds));
    return taskNanos -> Math.max(0, pacing - taskNanos);
  }

  /** At most {@code tasksPerSecond} tasks per second for each user: pacing of 1/rate seconds. */
  static WaitTime constantThroughput(double tasksPerSecond) {
    if (!(tasksPerSecond > 0) || Double.isInfinite(tasksPerSecond)) {
      throw new IllegalArgumentException("tasksPerSecond must be > 0 but was " + tasksPerSecond);
    }
    return constantPacing(1.0 / tasksPerSecond);
  }

  private static double requireNonNegative(String name, double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + seconds);
    }
    return seconds;
  }

  private static long toNanos(double seconds) {
    return Math.round(seconds * 1e9);
  }
}
