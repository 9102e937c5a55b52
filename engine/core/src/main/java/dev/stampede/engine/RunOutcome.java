package dev.stampede.engine;

import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.stats.RunHistograms;
import java.util.List;
import java.util.Map;

/**
 * What a finished run produced.
 *
 * @param summary the run's statistics
 * @param deliveries how results reached each listener
 * @param history per-second history (thinned for long runs)
 * @param taskErrors exceptions thrown out of tasks, by "task: exception"
 * @param interrupted whether the run was stopped early by an interrupt (Ctrl-C)
 * @param aborted why the run was stopped early by a rule (a lost KPI), or {@code null}
 * @param histograms the whole run's mergeable histograms and raw counters
 *     ({@link RunHistograms#NONE} when not known)
 * @param brokenScenario why the run measured a bug of the scenario rather than the target (no user
 *     could start, or every task threw), naming the first exception and where it was thrown; or
 *     {@code null}. Such a run cannot be judged.
 * @param startDrops open model: the dropped iterations of the run's first seconds
 */
public record RunOutcome(
    Summary summary,
    List<ListenerDelivery> deliveries,
    List<HistoryPoint> history,
    Map<String, Long> taskErrors,
    boolean interrupted,
    String aborted,
    RunHistograms histograms,
    String brokenScenario,
    StartDrops startDrops) {

  public RunOutcome {
    deliveries = List.copyOf(deliveries);
    history = List.copyOf(history);
    taskErrors = Map.copyOf(taskErrors);
    java.util.Objects.requireNonNull(histograms, "histograms");
  }

  /** An outcome of a scenario that ran (not broken), with its histograms. */
  public RunOutcome(Summary summary, List<ListenerDelivery> deliveries, List<HistoryPoint> history,
      Map<String, Long> taskErrors, boolean interrupted, String aborted, RunHistograms histograms) {
    this(summary, deliveries, history, taskErrors, interrupted, aborted, histograms, null, StartDrops.NONE);
  }

  /** An outcome of a scenario that ran (not broken), without histograms. */
  public RunOutcome(Summary summary, List<ListenerDelivery> deliveries, List<HistoryPoint> history,
      Map<String, Long> taskErrors, boolean interrupted, String aborted) {
    this(summary, deliveries, history, taskErrors, interrupted, aborted, RunHistograms.NONE);
  }
}
