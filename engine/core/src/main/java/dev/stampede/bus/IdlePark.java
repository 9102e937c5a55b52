package dev.stampede.bus;

/**
 * How long a listener thread that has caught up with the users parks before it looks again.
 *
 * <p>Longer parks cost less: each wake-up cost some 30 µs of the listener thread's time (caches
 * refilled, the listener's per-batch work), and at a fixed 5 ms three listeners spent a quarter of
 * their time on them (issue 18: an InfluxDB listener at 65,000 requests/s took 0.25 to 0.32 µs per
 * result at 5 ms and 0.22 at 20 ms). Delivery latency is no concern: backends aggregate per second
 * or more. But a queue stripe must never fill up between two looks, since a full queue drops. So the
 * park adapts: when the fullest stripe got past a quarter of its capacity during the last park, the
 * next is half as long; when it stayed below a sixteenth, twice as long; between
 * {@link #MIN_NANOS} and {@link #MAX_NANOS}.
 */
final class IdlePark {

  /** The longest park: 20 ms. */
  static final long MAX_NANOS = 20_000_000L;
  /** The shortest park: 1 ms, for runs that fill a stripe's quarter in 2 ms. */
  static final long MIN_NANOS = 1_000_000L;

  private final int capacityPerStripe;
  private long nanos = MAX_NANOS;

  IdlePark(int capacityPerStripe) {
    this.capacityPerStripe = capacityPerStripe;
  }

  /** The next park's length, given the most results one stripe received during the last one. */
  long next(int fullestStripe) {
    if (fullestStripe > capacityPerStripe / 4) {
      nanos = Math.max(MIN_NANOS, nanos / 2);
    } else if (fullestStripe < capacityPerStripe / 16) {
      nanos = Math.min(MAX_NANOS, nanos * 2);
    }
    return nanos;
  }
}
