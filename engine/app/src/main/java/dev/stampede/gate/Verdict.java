package dev.stampede.gate;

import dev.stampede.kpi.Kpi;

/**
 * How one KPI fared.
 *
 * @param kpi the KPI
 * @param endpoint the endpoint key it was resolved to ({@code "GET /x"} or {@code total}), or the
 *     target as written when it did not resolve
 * @param measured the measured value in the metric's unit, NaN when there was none
 * @param status passed, failed or skipped
 * @param message one line saying why: {@code GET /x percentile_90 = 72.00 ms, bound <= 50 ms}
 */
public record Verdict(Kpi kpi, String endpoint, double measured, Status status, String message) {

  /** The outcome of one KPI. */
  public enum Status {
    /** Within its bound. */
    PASSED,
    /** Beyond its bound, or its endpoint received no request or is ambiguous. */
    FAILED,
    /** Not judged: its {@code skip_until} date is still ahead. */
    SKIPPED
  }
}
