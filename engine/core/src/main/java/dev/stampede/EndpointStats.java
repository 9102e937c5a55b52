package dev.stampede;

/**
 * Statistics of one endpoint (method and name), or of all endpoints together.
 *
 * <p>Times are in milliseconds. Percentiles come from an HdrHistogram with three significant
 * digits, so each is within 0.1% of the exact percentile of the recorded response times.
 *
 * @param method the method, or an empty string for the total
 * @param name the grouped name, or {@code Aggregated} for the total
 * @param count requests, including failures
 * @param failures failed requests
 * @param rps requests per second over the whole run
 * @param currentRps requests per second over the last 10 seconds
 * @param currentFailuresPerSecond failures per second over the last 10 seconds
 * @param totalBytes response bytes received
 * @param percentiles response times at the percentiles of {@link Percentiles#REPORTED}
 */
public record EndpointStats(
    String method,
    String name,
    long count,
    long failures,
    double rps,
    double currentRps,
    double currentFailuresPerSecond,
    double mean,
    double min,
    double max,
    long totalBytes,
    Percentiles percentiles) {

  /** The name of the row that aggregates every endpoint. */
  public static final String TOTAL_NAME = "Aggregated";

  /** {@code "GET /x"}, or {@code "x"} when there is no method; the key of endpoints in results. */
  public String key() {
    return method.isEmpty() ? name : method + " " + name;
  }

  /** Failures as a percentage of requests, 0 when there were none. */
  public double errorRate() {
    return count == 0 ? 0 : 100.0 * failures / count;
  }

  /** Average response size in bytes, 0 when there were no requests. */
  public double bytesMean() {
    return count == 0 ? 0 : (double) totalBytes / count;
  }
}
