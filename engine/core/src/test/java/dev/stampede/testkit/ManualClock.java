package dev.stampede.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, for code that takes a {@link Clock} (cookie expiry, listener steps). */
public final class ManualClock extends Clock {

  private volatile long millis;

  /** A clock at {@code startMillis} since the epoch. */
  public ManualClock(long startMillis) {
    this.millis = startMillis;
  }

  /** Moves the clock forward. Called by one test thread at a time. */
  public void advance(Duration duration) {
    millis += duration.toMillis();
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
