package dev.stampede;

import java.util.Map;

/**
 * What a listener could not deliver to its backend, and its own counters, reported at the end of
 * a run (in the summary and under {@code listeners} in the JSON result).
 *
 * @param failed results the listener accepted but could not deliver (backend down, rejected,
 *     timed out); for exporters that aggregate, the results the undelivered points stood for
 * @param details backend-specific counters, e.g. {@code api_calls}, {@code points_written},
 *     {@code estimated_cost_usd}; values are numbers or strings, never secrets
 */
public record ExportReport(long failed, Map<String, Object> details) {

  /** The report of a listener that lost nothing and counts nothing. */
  public static final ExportReport NONE = new ExportReport(0, Map.of());

  public ExportReport {
    if (failed < 0) {
      throw new IllegalArgumentException("failed must be >= 0 but was " + failed);
    }
    details = Map.copyOf(details);
  }
}
