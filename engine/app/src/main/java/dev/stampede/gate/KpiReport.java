package dev.stampede.gate;

import java.util.List;

/**
 * The verdicts of every KPI of a run, in KPI file order.
 *
 * @param verdicts one per KPI
 */
public record KpiReport(List<Verdict> verdicts) {

  /** Exit code when every KPI passed or was skipped. */
  public static final int EXIT_PASSED = 0;
  /** Exit code when a KPI was missed. */
  public static final int EXIT_FAILED = 1;

  public KpiReport {
    verdicts = List.copyOf(verdicts);
  }

  /** Whether no KPI failed (skipped ones do not count against the run). */
  public boolean passed() {
    return failed().isEmpty();
  }

  /** The verdicts that failed. */
  public List<Verdict> failed() {
    return verdicts.stream().filter(v -> v.status() == Verdict.Status.FAILED).toList();
  }

  /** How many verdicts have {@code status}. */
  public long count(Verdict.Status status) {
    return verdicts.stream().filter(v -> v.status() == status).count();
  }

  /** {@link #EXIT_PASSED} (0) or {@link #EXIT_FAILED} (1). */
  public int exitCode() {
    return passed() ? EXIT_PASSED : EXIT_FAILED;
  }
}
