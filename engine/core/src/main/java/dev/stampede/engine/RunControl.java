package dev.stampede.engine;

import java.util.concurrent.atomic.LongAdder;

/** The run-wide stop signal every user watches. */
final class RunControl {

  private volatile boolean stopping;
  private volatile boolean accepting = true;
  private volatile boolean warmingUp;
  /** When users were cut off ({@link System#nanoTime}); valid once {@link #accepting} is false. */
  private volatile long cutOffNanos;
  private final LongAdder cancelled = new LongAdder();

  /** Whether users must stop after their current task. */
  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  /** Whether results are still recorded; false once the stop timeout has cut users off. */
  boolean accepting() {
    return accepting;
  }

  void stopAccepting() {
    if (accepting) {
      cutOffNanos = System.nanoTime();
      accepting = false;
    }
  }

  /** When users were cut off: work started before it and ended after it was cancelled at stop. */
  long cutOffNanos() {
    return cutOffNanos;
  }

  void countCancelled() {
    cancelled.increment();
  }

  /** Requests in flight when users were cut off at stop. */
  long cancelled() {
    return cancelled.sum();
  }

  /** Whether the run is in its warm-up, whose results are not counted anywhere. */
  boolean warmingUp() {
    return warmingUp;
  }

  void warmingUp(boolean value) {
    warmingUp = value;
  }
}
