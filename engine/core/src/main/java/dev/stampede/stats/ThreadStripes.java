package dev.stampede.stats;

/**
 * Spreads threads over a few stripes, like {@link java.util.concurrent.atomic.LongAdder} does, for
 * the structures every user writes to on each request (the statistics recorders, the listeners'
 * queues): two busy cores then rarely write to the same one, and never wait for each other's
 * cache line. A virtual user keeps its stripe while it lives.
 */
public final class ThreadStripes {

  /** The number of stripes: a power of two, about twice the cores, at most 16. */
  public static final int COUNT = Math.max(2, Math.min(16,
      Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1));

  private ThreadStripes() {}

  /** The current thread's stripe, in {@code [0, COUNT)}. */
  public static int current() {
    // Fibonacci hashing spreads consecutive thread ids (one per virtual user) over the stripes.
    return (int) ((Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L) >>> 32) & (COUNT - 1);
  }
}
