package dev.stampede.stats;

import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The statistics of one endpoint: written by every user, read by the ticker.
 *
 * <p>Recording is wait-free: HdrHistogram's {@link Recorder} lets many threads record while the
 * ticker swaps out the interval histogram, and the counters are {@link LongAdder}s. Everything
 * else (the cumulative histogram, the rate window) belongs to the ticker thread.
 *
 * <p>A single {@code Recorder} brackets every record with two atomic increments of one shared
 * counter, so users on different cores recording the same endpoint would bounce its cache line
 * between them (measured: 33 ns per record on one thread, ~440 ns on two). Recorders are therefore
 * striped by thread, like {@link LongAdder}s, and the ticker merges the stripes.
 */
public final class EndpointRecorder {

  static final int SIGNIFICANT_DIGITS = 3;
  /** How many ticks the "current" rates look back over. */
  static final int RATE_WINDOW_TICKS = 10;

  private final String method;
  private final String name;
  /** Recorder stripes, so two busy cores rarely record into the same one. */
  static final int STRIPES = ThreadStripes.COUNT;

  private final Recorder[] recorders = new Recorder[STRIPES];
  private final LongAdder count = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();

  // Owned by the ticker (callers of drainInterval / toStats hold the RunStats lock).
  private final Histogram cumulative = new Histogram(SIGNIFICANT_DIGITS);
  private final Histogram[] recycled = new Histogram[STRIPES];
  private final Histogram interval = new Histogram(SIGNIFICANT_DIGITS);
  private final long[] windowMillis = new long[RATE_WINDOW_TICKS + 1];
  private final long[] windowCounts = new long[RATE_WINDOW_TICKS + 1];
  private final long[] windowFailures = new long[RATE_WINDOW_TICKS + 1];
  private int windowNext;
  private int windowSize;
  // The counters at the previous tick's interval (ticker only), for the next interval's deltas.
  private long countTaken;
  private long failuresTaken;
  private long bytesTaken;
  private long sumNanosTaken;

  EndpointRecorder(String method, String name) {
    this.method = method;
    this.name = name;
    for (int i = 0; i < STRIPES; i++) {
      recorders[i] = new Recorder(SIGNIFICANT_DIGITS);
    }
  }

  /** The request method, or {@code custom}. */
  public String method() {
    return method;
  }

  /** The grouped name. */
  public String name() {
    return name;
  }

  /** Records one result. Wait-free; safe from any thread. */
  public void record(long responseTimeNanos, long responseBytes, boolean failed) {
    recorders[ThreadStripes.current()].recordValue(Math.max(0, responseTimeNanos / 1_000));
    count.increment();
    sumNanos.add(responseTimeNanos);
    if (responseBytes > 0) {
      bytes.add(responseBytes);
    }
    if (failed) {
      failures.increment();
    }
  }

  /** Swaps out the histograms of results since the last call, folds them into the cumulative one, and returns their sum. */
  Histogram drainInterval() {
    interval.reset();
    for (int i = 0; i < STRIPES; i++) {
      recycled[i] = recorders[i].getIntervalHistogram(recycled[i]);
      interval.add(recycled[i]);
    }
    cumulative.add(interval);
    return interval;
  }

  /**
   * The interval since the previous call, for listeners fed the engine's intervals: the counters'
   * growth and a copy of {@code interval}, the histogram {@link #drainInterval} just returned. Null
   * when nothing was recorded. Ticker only.
   */
  TickInterval.Endpoint takeInterval(Histogram interval, Map<String, Long> errors) {
    long countNow = count.sum();
    long failuresNow = failures.sum();
    long bytesNow = bytes.sum();
    long sumNanosNow = sumNanos.sum();
    long counted = countNow - countTaken;
    if (counted == 0 && interval.getTotalCount() == 0) {
      return null;
    }
    TickInterval.Endpoint taken = new TickInterval.Endpoint(method, name, counted, failuresNow - failuresTaken,
        bytesNow - bytesTaken, sumNanosNow - sumNanosTaken, interval.copy(), errors);
    countTaken = countNow;
    failuresTaken = failuresNow;
    bytesTaken = bytesNow;
    sumNanosTaken = sumNanosNow;
    return taken;
  }

  /** Notes the counters at a tick, for the 10-second current rates. */
  void markTick(long nowMillis) {
    markTickWith(nowMillis, count.sum(), failures.sum());
  }

  /** Notes given counters at a tick; the total row uses it with the sums of every endpoint. */
  void markTickWith(long nowMillis, long countNow, long failuresNow) {
    windowMillis[windowNext] = nowMillis;
    windowCounts[windowNext] = countNow;
    windowFailures[windowNext] = failuresNow;
    windowNext = (windowNext + 1) % windowMillis.length;
    windowSize = Math.min(windowSize + 1, windowMillis.length);
  }

  Histogram cumulative() {
    return cumulative;
  }

  long count() {
    return count.sum();
  }

  long failures() {
    return failures.sum();
  }

  long bytes() {
    return bytes.sum();
  }

  long sumNanos() {
    return sumNanos.sum();
  }

  /** Current requests and failures per second over the rate window, as {rps, fps}. */
  double[] currentRates() {
    if (windowSize < 2) {
      return new double[] {0, 0};
    }
    int newest = Math.floorMod(windowNext - 1, windowMillis.length);
    int oldest = windowSize < windowMillis.length ? 0 : windowNext;
    double seconds = Math.max(1, windowMillis[newest] - windowMillis[oldest]) / 1000.0;
    return new double[] {
      (windowCounts[newest] - windowCounts[oldest]) / seconds,
      (windowFailures[newest] - windowFailures[oldest]) / seconds
    };
  }

  EndpointStats toStats(double elapsedSeconds) {
    double[] rates = currentRates();
    return stats(method, name, count(), failures(), bytes(), sumNanos(), cumulative, elapsedSeconds, rates[0], rates[1]);
  }

  /** Builds the public statistics from counters and a histogram of microseconds. */
  static EndpointStats stats(String method, String name, long count, long failures, long bytes, long sumNanos,
      Histogram micros, double elapsedSeconds, double currentRps, double currentFps) {
    boolean empty = micros.getTotalCount() == 0;
    return new EndpointStats(method, name, count, failures,
        elapsedSeconds > 0 ? count / elapsedSeconds : 0, currentRps, currentFps,
        count == 0 ? 0 : sumNanos / 1e6 / count,
        empty ? 0 : micros.getMinValue() / 1000.0,
        empty ? 0 : micros.getMaxValue() / 1000.0,
        bytes, percentiles(micros));
  }

  /** The reported percentiles of a histogram of microseconds, in milliseconds; zeros when empty. */
  static Percentiles percentiles(Histogram micros) {
    double[] values = new double[Percentiles.REPORTED.length];
    if (micros.getTotalCount() > 0) {
      for (int i = 0; i < values.length; i++) {
        double p = Percentiles.REPORTED[i];
        long value = p >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(p);
        values[i] = value / 1000.0;
      }
    }
    return new Percentiles(values);
  }
}
