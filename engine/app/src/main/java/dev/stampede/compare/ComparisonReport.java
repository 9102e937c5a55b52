package dev.stampede.compare;

import dev.stampede.gate.KpiReport;
import dev.stampede.kpi.Metric;
import dev.stampede.report.TextTable;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link Comparison}: one row per endpoint and metric, the endpoints that are new
 * or missing, and notes (the noise verdicts of compared sets).
 *
 * @param rows per endpoint ({@code total} last) and metric, the baseline and current values
 * @param newEndpoints endpoints with requests in the current run but not in the baseline
 * @param missingEndpoints endpoints with requests in the baseline but not in the current run
 * @param tolerancePercent the tolerance the rows were judged with
 * @param failOnMissing whether a missing endpoint fails the comparison
 * @param notes extra lines to print (set comparisons: each set's noise verdict)
 * @param inconclusive whether a compared set was too noisy to trust
 */
public record ComparisonReport(
    List<Row> rows,
    List<String> newEndpoints,
    List<String> missingEndpoints,
    double tolerancePercent,
    boolean failOnMissing,
    List<String> notes,
    boolean inconclusive) {

  /** Which way one metric moved, beyond tolerance. */
  public enum Change {
    /** Within tolerance or the noise floor. */
    UNCHANGED,
    /** Better beyond tolerance. */
    IMPROVED,
    /** Worse beyond tolerance: fails the comparison. */
    REGRESSED
  }

  /**
   * One metric of one endpoint.
   *
   * @param endpoint the endpoint key or {@code total}
   * @param metric the metric
   * @param baseline its baseline value
   * @param current its current value
   * @param deltaPercent the change in percent, infinite when the baseline was 0
   * @param change the judgement
   */
  public record Row(String endpoint, Metric metric, double baseline, double current,
      double deltaPercent, Change change) {}

  public ComparisonReport {
    rows = List.copyOf(rows);
    newEndpoints = List.copyOf(newEndpoints);
    missingEndpoints = List.copyOf(missingEndpoints);
    notes = List.copyOf(notes);
  }

  /** The rows that regressed beyond tolerance. */
  public List<Row> regressions() {
    return rows.stream().filter(r -> r.change() == Change.REGRESSED).toList();
  }

  /** The rows that improved beyond tolerance. */
  public List<Row> improvements() {
    return rows.stream().filter(r -> r.change() == Change.IMPROVED).toList();
  }

  /** Whether the current run is worse: a regression, or a missing endpoint when that counts. */
  public boolean failed() {
    return !regressions().isEmpty() || (failOnMissing && !missingEndpoints.isEmpty());
  }

  /**
   * 1 when {@link #failed()}, else 0; when a compared set was too noisy, as
   * {@link RepeatedRuns#exitCode} says for {@code policy}.
   */
  public int exitCode(NoisePolicy policy) {
    int code = failed() ? KpiReport.EXIT_FAILED : KpiReport.EXIT_PASSED;
    if (!inconclusive) {
      return code;
    }
    return policy == NoisePolicy.FAIL ? KpiReport.EXIT_FAILED : KpiReport.EXIT_PASSED;
  }

  /** The table of deltas, the new and missing endpoints, the notes and a result line. */
  public String render() {
    TextTable table = new TextTable(2, "endpoint", "metric", "baseline", "current", "delta", "verdict");
    for (Row r : rows) {
      table.row(r.endpoint(), r.metric().name(), r.metric().format(r.baseline()),
          r.metric().format(r.current()), Comparison.percent(r.deltaPercent()),
          r.change() == Change.UNCHANGED ? "ok" : r.change().name().toLowerCase(Locale.ROOT));
    }
    StringBuilder out = new StringBuilder(table.render());
    if (!newEndpoints.isEmpty()) {
      out.append("New endpoints (not in the baseline): ").append(String.join(", ", newEndpoints))
          .append('\n');
    }
    if (!missingEndpoints.isEmpty()) {
      out.append("Missing endpoints (in the baseline, not in this run): ")
          .append(String.join(", ", missingEndpoints)).append('\n');
    }
    for (String note : notes) {
      out.append(note).append('\n');
    }
    String tolerance = RepeatedRuns.number(tolerancePercent) + "%";
    out.append("Result: ").append(regressions().size()).append(" regression(s), ")
        .append(improvements().size()).append(" improvement(s) beyond ").append(tolerance)
        .append(" tolerance");
    if (failOnMissing && !missingEndpoints.isEmpty()) {
      out.append(", ").append(missingEndpoints.size()).append(" missing endpoint(s)");
    }
    out.append(" -> ").append(failed() ? "REGRESSED" : "OK");
    if (inconclusive) {
      out.append(" (inconclusive: environment too noisy)");
    }
    return out.append('\n').toString();
  }
}
