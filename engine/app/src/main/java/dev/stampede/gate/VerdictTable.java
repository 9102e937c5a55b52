package dev.stampede.gate;

import dev.stampede.report.TextTable;

/**
 * The verdict table printed at the end of a run with {@code --kpi}: one row per KPI with its
 * measured value, bound and verdict, then one line per failed or skipped KPI saying why, then the
 * overall result.
 */
public final class VerdictTable {

  private VerdictTable() {}

  /** The table as plain text, lines ending in {@code \n}. */
  public static String render(KpiReport report) {
    TextTable table = new TextTable(1, "KPI", "measured", "bound", "verdict");
    for (Verdict v : report.verdicts()) {
      table.row(v.kpi().name(), v.kpi().metric().format(v.measured()), v.kpi().describeBound(),
          v.status().name());
    }
    StringBuilder out = new StringBuilder(table.render());
    for (Verdict v : report.verdicts()) {
      if (v.status() != Verdict.Status.PASSED) {
        out.append("  ").append(v.message()).append('\n');
      }
    }
    out.append("KPIs: ").append(report.count(Verdict.Status.PASSED)).append(" passed, ")
        .append(report.count(Verdict.Status.FAILED)).append(" failed, ")
        .append(report.count(Verdict.Status.SKIPPED)).append(" skipped -> ")
        .append(report.passed() ? "PASSED" : "FAILED").append('\n');
    return out.toString();
  }
}
