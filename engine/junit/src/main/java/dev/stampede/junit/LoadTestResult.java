package dev.stampede.junit;

import dev.stampede.Summary;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.KpiReport;
import dev.stampede.gate.VerdictTable;
import java.util.Objects;
import org.opentest4j.AssertionFailedError;

/**
 * What a load test run from a test produced: its statistics and the verdict of each KPI.
 *
 * @param outcome the run's summary, per-listener deliveries, history and task errors
 * @param kpis the verdict of each KPI, in the order given; empty when none was given
 */
public record LoadTestResult(RunOutcome outcome, KpiReport kpis) {

  public LoadTestResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(kpis, "kpis");
  }

  /** The run's statistics: per endpoint and in total, failures, users, duration. */
  public Summary summary() {
    return outcome.summary();
  }

  /** Whether something was measured and no KPI failed (skipped ones do not fail). */
  public boolean passed() {
    return measured() && kpis.passed();
  }

  /** The table {@code stampede run --kpi} prints: one row per KPI, why each failed, the result. */
  public String verdictTable() {
    return VerdictTable.render(kpis);
  }

  /**
   * Fails the test unless {@link #passed()}: the message is the verdict table, or says that no
   * request completed (a target that never answered passes no KPI).
   *
   * @return this, for further assertions on {@link #summary()}
   * @throws AssertionFailedError when a KPI failed or nothing was measured
   */
  public LoadTestResult assertKpisMet() {
    if (!measured()) {
      throw new AssertionFailedError("Load test FAILED: no request completed during the run (is the target"
          + " answering?)" + (kpis.verdicts().isEmpty() ? "" : "\n" + verdictTable()));
    }
    if (!kpis.passed()) {
      throw new AssertionFailedError("Load test FAILED: " + kpis.failed().size() + " of " + kpis.verdicts().size()
          + " KPIs missed\n" + verdictTable());
    }
    return this;
  }

  private boolean measured() {
    return outcome.summary().total().count() > 0;
  }
}
