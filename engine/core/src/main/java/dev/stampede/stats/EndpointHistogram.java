package dev.stampede.stats;

import dev.stampede.EndpointStats;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The whole statistics of one endpoint (or of the total) as exact, mergeable raw values: the
 * response-time histogram and the counters that means and rates are computed from. Two of them add
 * up exactly ({@link #plus}), which is how shards of a distributed run merge; percentiles are never
 * averaged.
 *
 * @param method the request method, empty for the total
 * @param name the grouped name, {@link EndpointStats#TOTAL_NAME} for the total
 * @param micros response times in microseconds, 3 significant digits; owned by this record
 * @param count requests, failures included
 * @param failures failed requests
 * @param bytes response bytes received
 * @param responseTimeSumNanos the sum of every response time, in nanoseconds
 */
public record EndpointHistogram(
    String method,
    String name,
    Histogram micros,
    long count,
    long failures,
    long bytes,
    long responseTimeSumNanos) {

  /** Significant digits of every histogram the engine records; merged histograms must match. */
  public static final int SIGNIFICANT_DIGITS = EndpointRecorder.SIGNIFICANT_DIGITS;

  public EndpointHistogram {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(micros, "micros");
  }

  /** An endpoint with nothing recorded yet, to add others to. */
  public static EndpointHistogram empty(String method, String name) {
    return new EndpointHistogram(method, name, new Histogram(SIGNIFICANT_DIGITS), 0, 0, 0, 0);
  }

  /** {@code "GET /x"}, or the bare name when there is no method. */
  public String key() {
    return method.isEmpty() ? name : method + " " + name;
  }

  /** The exact sum of this and {@code other}: histograms added bucket by bucket, counters summed. */
  public EndpointHistogram plus(EndpointHistogram other) {
    Histogram sum = new Histogram(SIGNIFICANT_DIGITS);
    sum.add(micros);
    sum.add(other.micros);
    return new EndpointHistogram(method, name, sum, count + other.count, failures + other.failures,
        bytes + other.bytes, responseTimeSumNanos + other.responseTimeSumNanos);
  }

  /** The reported statistics, with rates over {@code elapsedSeconds}; current rates are 0. */
  public EndpointStats toStats(double elapsedSeconds) {
    return EndpointRecorder.stats(method, name, count, failures, bytes, responseTimeSumNanos, micros,
        elapsedSeconds, 0, 0);
  }
}
