package dev.stampede.listener;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one retry policy every pushing listener uses: exponential backoff with equal jitter, the
 * delay before retry {@code n} (0 is the first) drawn from {@code [d/2, d]} where
 * {@code d = min(max, initial * 2^n)}. Jitter keeps the generators of a sharded run, which fail
 * together when their backend does, from retrying in lockstep.
 *
 * @param initial the delay before the first retry, before jitter; > 0
 * @param max the longest delay; >= {@code initial}
 * @param maxAttempts attempts per request, the first included, >= 1; {@link Integer#MAX_VALUE} for
 *     no limit (then the sender's bounded buffer and flush timeout are the limit)
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

  public Backoff {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be > 0 but was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must be >= initial (" + initial + ") but was " + max);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
    }
  }

  /** Retries without an attempt limit. */
  public static Backoff unlimited(Duration initial, Duration max) {
    return new Backoff(initial, max, Integer.MAX_VALUE);
  }

  /** The delay before retry number {@code retry + 1}, jittered by a thread-local random. */
  public Duration delay(int retry) {
    return delay(retry, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The delay before retry number {@code retry + 1}.
   *
   * @param random values in {@code [0, 1)}; a constant in tests
   */
  public Duration delay(int retry, DoubleSupplier random) {
    if (retry < 0) {
      throw new IllegalArgumentException("retry must be >= 0 but was " + retry);
    }
    long maxNanos = max.toNanos();
    long nanos = initial.toNanos();
    for (int i = 0; i < retry && nanos < maxNanos; i++) {
      nanos = nanos > maxNanos / 2 ? maxNanos : nanos * 2;
    }
    nanos = Math.min(nanos, maxNanos);
    return Duration.ofNanos(nanos / 2 + (long) (random.getAsDouble() * (nanos - nanos / 2)));
  }

  /** Whether another attempt may follow attempt number {@code attempt} (1 is the first). */
  public boolean allowsAnotherAfter(int attempt) {
    return attempt < maxAttempts;
  }
}
