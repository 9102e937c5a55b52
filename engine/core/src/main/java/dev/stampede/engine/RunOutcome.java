package dev.stampede.engine;

import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.stats.HistoryPoint;
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
 */
public record RunOutcome(
    Summary summary,
    List<ListenerDelivery> deliveries,
    List<HistoryPoint> history,
    Map<String, Long> taskErrors,
    boolean interrupted,
    String aborted) {

  public RunOutcome {
    deliveries = List.copyOf(deliveries);
    history = List.copyOf(history);
    taskErrors = Map.copyOf(taskErrors);
  }
}
