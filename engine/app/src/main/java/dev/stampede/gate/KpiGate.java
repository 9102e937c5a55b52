package dev.stampede.gate;

import dev.stampede.kpi.KpiFile;
import dev.stampede.result.RunResultFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The KPI gate of {@code stampede run --kpi FILE [--junit FILE]}, end to end: the KPI file is
 * loaded before any load is sent ({@link KpiFile#load}, a bad file is exit 2), and after the run
 * {@link #judge} prints the verdict table, writes the JUnit XML and gives the exit code.
 */
public final class KpiGate {

  private final KpiFile kpis;
  private final Clock clock;

  /**
   * A gate for {@code kpis}.
   *
   * @param clock today's date for {@code skip_until}, and the JUnit timestamp
   */
  public KpiGate(KpiFile kpis, Clock clock) {
    this.kpis = Objects.requireNonNull(kpis, "kpis");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The KPIs judged. */
  public KpiFile kpis() {
    return kpis;
  }

  /** The check to run at each tick when the KPI file sets {@code abort_on_fail}. */
  public AbortOnFailCheck abortOnFailCheck() {
    return new AbortOnFailCheck(kpis, new KpiEvaluator(clock));
  }

  /**
   * Judges a finished run: prints the verdict table to {@code out}, writes JUnit XML to
   * {@code junit} when it is not null, and returns 0 when no KPI failed, else 1.
   *
   * @param suite the JUnit suite name, e.g. the run id
   */
  public int judge(RunResultFile result, PrintWriter out, Path junit, String suite) {
    KpiReport report = new KpiEvaluator(clock).evaluate(kpis, result);
    out.print(VerdictTable.render(report));
    out.flush();
    if (junit != null) {
      JUnitXmlWriter.write(report, junit, suite, clock);
    }
    return report.exitCode();
  }
}
