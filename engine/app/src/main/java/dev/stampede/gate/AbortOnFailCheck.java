package dev.stampede.gate;

import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.kpi.Metric;
import dev.stampede.result.RunResultFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides, while a run is still going, whether a KPI is already lost, so that a run with
 * {@code abort_on_fail} can stop early instead of burning the rest of its time.
 *
 * <p>Call {@link #check} at each tick with the statistics so far (for instance
 * {@link RunResultFile#fromSnapshot}). Before the configured delay nothing is judged. After it,
 * upper bounds (percentiles, mean, max, error rate, failures) are judged on the cumulative
 * statistics so far, as k6 does with {@code abortOnFail}. Lower bounds ({@code rps}, {@code count})
 * are left to the end of the run, since a run still ramping up has not lost them; so are KPIs on
 * endpoints that have had no request yet, and skipped KPIs. The final verdict always comes from
 * {@link KpiEvaluator} on the whole run.
 */
public final class AbortOnFailCheck {

  private final KpiFile kpis;
  private final KpiEvaluator evaluator;

  /** A check of {@code kpis} (which should have abort_on_fail enabled) using {@code evaluator}. */
  public AbortOnFailCheck(KpiFile kpis, KpiEvaluator evaluator) {
    this.kpis = Objects.requireNonNull(kpis, "kpis");
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
  }

  /** Whether the KPI file asks for this check at all. */
  public boolean enabled() {
    return kpis.abortOnFail().enabled();
  }

  /**
   * The KPIs already lost, empty while the run should go on.
   *
   * @param current the statistics of the run so far
   * @param elapsed time since the load started
   */
  public List<Verdict> check(RunResultFile current, Duration elapsed) {
    if (!enabled() || elapsed.compareTo(kpis.abortOnFail().delay()) < 0) {
      return List.of();
    }
    List<Verdict> lost = new ArrayList<>();
    for (Kpi kpi : kpis.kpis()) {
      if (kpi.metric().direction() != Metric.Direction.AT_MOST) {
        continue;
      }
      Verdict v = evaluator.evaluate(kpi, current);
      if (v.status() == Verdict.Status.FAILED && !Double.isNaN(v.measured())) {
        lost.add(v);
      }
    }
    return List.copyOf(lost);
  }
}
