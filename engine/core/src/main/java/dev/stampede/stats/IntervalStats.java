package dev.stampede.stats;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The statistics of one export interval, per endpoint and in total, as made by
 * {@link IntervalAggregator}.
 *
 * @param startMillis when the interval started (epoch milliseconds)
 * @param endMillis when it ended
 * @param endpoints endpoints that saw at least one result, sorted by method, then name
 * @param total all endpoints together, or {@code null} when the interval saw no result
 */
public record IntervalStats(long startMillis, long endMillis, List<Endpoint> endpoints, Endpoint total) {

  /** The name of the total row in exporters' output. */
  public static final String TOTAL_NAME = "total";

  /** The name results are folded into once the endpoint cap is reached. */
  public static final String OTHER_NAME = "other";

  public IntervalStats {
    endpoints = List.copyOf(endpoints);
  }

  /** The interval's length in seconds (at least one millisecond). */
  public double seconds() {
    return Math.max(1, endMillis - startMillis) / 1000.0;
  }

  /**
   * One endpoint's interval statistics. Times are in milliseconds.
   *
   * @param micros the response times in microseconds, three significant digits; owned by the caller
   * @param errors failures by error message
   */
  public record Endpoint(
      String method,
      String name,
      long count,
      long failures,
      long bytes,
      double mean,
      double min,
      double max,
      Histogram micros,
      Map<String, Long> errors) {

    /** The response time in milliseconds at {@code percentile} (0 to 100). */
    public double percentile(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }
  }
}
