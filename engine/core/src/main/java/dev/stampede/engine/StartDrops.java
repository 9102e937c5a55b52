package dev.stampede.engine;

import java.time.Duration;

/**
 * Open model: the dropped iterations of a run's first moments. When most drops happen there, users
 * were not short: the run started cold (JIT compilation, new connections, a cold target), which a
 * warm-up absorbs.
 *
 * @param count iterations dropped within {@code window} of the start of the statistics
 * @param window the first fifth of the run, between 1 and 5 seconds
 */
public record StartDrops(long count, Duration window) {

  /** No drop. */
  public static final StartDrops NONE = new StartDrops(0, Duration.ZERO);

  /** The window for a run that counted for {@code duration}: a fifth of it, 1 to 5 seconds. */
  static Duration windowFor(Duration duration) {
    long seconds = Math.max(1, Math.min(5, duration.toSeconds() / 5));
    return Duration.ofSeconds(seconds);
  }

  /** Whether most of {@code total} dropped iterations fell in the window. */
  public boolean clustered(long total) {
    return count > 0 && count * 2 > total;
  }
}
