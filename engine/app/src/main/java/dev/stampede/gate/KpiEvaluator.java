package dev.stampede.gate;

import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.result.RunResultFile;
import dev.stampede.result.RunResultFile.EndpointResult;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges a {@link KpiFile} against a run's results.
 *
 * <p>A KPI key resolves to {@code total}, to the endpoint with exactly that key
 * ({@code "GET /x"}), or to the one endpoint whose name is the key ({@code /x}). A bare name that
 * more than one method uses is ambiguous, and a key that matches no endpoint that received a
 * request fails naming it: a typo in a KPI file must never pass silently.
 *
 * <p>A KPI whose {@code skip_until} date is after today (in the clock's zone) is reported as
 * skipped, with its measured value when there is one.
 */
public final class KpiEvaluator {

  private final Clock clock;

  /** An evaluator that reads today's date from {@code clock} (for {@code skip_until}). */
  public KpiEvaluator(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Judges every KPI of {@code kpis} against {@code result}. */
  public KpiReport evaluate(KpiFile kpis, RunResultFile result) {
    LocalDate today = LocalDate.now(clock);
    List<Verdict> verdicts = new ArrayList<>();
    for (Kpi kpi : kpis.kpis()) {
      verdicts.add(evaluate(kpi, result, today));
    }
    return new KpiReport(verdicts);
  }

  /** Judges one KPI; see the class comment for how its key resolves. */
  public Verdict evaluate(Kpi kpi, RunResultFile result) {
    return evaluate(kpi, result, LocalDate.now(clock));
  }

  private Verdict evaluate(Kpi kpi, RunResultFile result, LocalDate today) {
    boolean skipped = kpi.skipUntil() != null && today.isBefore(kpi.skipUntil());
    Resolution r = resolve(kpi.target(), result);
    if (r.endpoint() == null || r.endpoint().count() == 0) {
      String why = r.endpoint() == null ? r.problem()
          : "'" + kpi.target() + "' received no request, so " + kpi.metricName()
              + " cannot be judged";
      return skipped
          ? new Verdict(kpi, r.key(), Double.NaN, Verdict.Status.SKIPPED, skipMessage(kpi, why))
          : new Verdict(kpi, r.key(), Double.NaN, Verdict.Status.FAILED,
              kpi.name() + " FAILED: " + why);
    }
    double measured = kpi.metric().valueOf(r.endpoint());
    String measurement = kpi.name() + " = " + kpi.metric().format(measured) + ", bound "
        + kpi.describeBound();
    if (skipped) {
      return new Verdict(kpi, r.key(), measured, Verdict.Status.SKIPPED,
          skipMessage(kpi, measurement));
    }
    boolean within = kpi.metric().within(measured, kpi.bound());
    return new Verdict(kpi, r.key(), measured,
        within ? Verdict.Status.PASSED : Verdict.Status.FAILED,
        within ? measurement : kpi.name() + " FAILED: " + measurement);
  }

  private static String skipMessage(Kpi kpi, String detail) {
    return kpi.name() + " skipped until " + kpi.skipUntil()
        + (kpi.skipReason().isEmpty() ? "" : " (" + kpi.skipReason() + ")") + ": " + detail;
  }

  /** The endpoint a KPI key names, or why there is none. */
  record Resolution(String key, EndpointResult endpoint, String problem) {}

  static Resolution resolve(String target, RunResultFile result) {
    if (target.equals(RunResultFile.TOTAL)) {
      return new Resolution(RunResultFile.TOTAL, result.total(), null);
    }
    EndpointResult exact = result.endpoints().get(target);
    if (exact != null) {
      return new Resolution(target, exact, null);
    }
    List<String> byName = result.endpoints().entrySet().stream()
        .filter(e -> e.getValue().name().equals(target))
        .map(Map.Entry::getKey)
        .toList();
    if (byName.size() == 1) {
      return new Resolution(byName.get(0), result.endpoints().get(byName.get(0)), null);
    }
    if (byName.size() > 1) {
      return new Resolution(target, null, "'" + target + "' is ambiguous: it matches "
          + String.join(", ", byName) + "; write the method too");
    }
    return new Resolution(target, null, "no request reached '" + target
        + "' (check the name; endpoints in this run: "
        + (result.endpoints().isEmpty() ? "none" : String.join(", ", result.endpoints().keySet()))
        + ")");
  }
}
