package dev.stampede.engine;

import java.time.Instant;

/** Wall-clock helpers. */
final class Clocks {

  private Clocks() {}

  /** Microseconds since the epoch. */
  static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
