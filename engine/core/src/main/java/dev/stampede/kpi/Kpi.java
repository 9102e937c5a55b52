package dev.stampede.kpi;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One KPI: a bound on one metric of one endpoint (or of the total).
 *
 * @param target the key as written in the KPI file: {@code "GET /store/inventory"}, a bare name,
 *     or {@code total}
 * @param metricName the metric as written ({@code percentile_90}), shown in verdicts so users
 *     find the line in their file
 * @param metric the metric it means
 * @param bound the bound in the metric's unit (ms, requests/s, percent, requests)
 * @param skipUntil the KPI is reported as skipped before this date (in the evaluator's clock
 *     zone); {@code null} when it always counts
 * @param skipReason why it is skipped, empty when not given
 */
public record Kpi(
    String target, String metricName, Metric metric, double bound, LocalDate skipUntil,
    String skipReason) {

  /** The target that means all endpoints together, in KPI files and result tables. */
  public static final String TOTAL = "total";

  public Kpi {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(metricName, "metricName");
    Objects.requireNonNull(metric, "metric");
    skipReason = skipReason == null ? "" : skipReason;
    if (!(bound >= 0)) {
      throw new IllegalArgumentException("bound must be >= 0 but was " + bound);
    }
  }

  /** A KPI that always counts. */
  public static Kpi of(String target, String metricName, double bound) {
    Metric metric = Metric.parse(metricName).orElseThrow(() -> new IllegalArgumentException(
        "metricName must be one of " + Metric.ACCEPTED + " but was " + metricName));
    return new Kpi(target, metricName, metric, bound, null, "");
  }

  /** {@code GET /x percentile_90}: how verdicts and test cases name this KPI. */
  public String name() {
    return target + " " + metricName;
  }

  /** {@code <= 50 ms} or {@code >= 500 /s}. */
  public String describeBound() {
    return (metric.direction() == Metric.Direction.AT_MOST ? "<= " : ">= ") + metric.format(bound);
  }
}
