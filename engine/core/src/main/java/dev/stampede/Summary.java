package dev.stampede;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The statistics of a whole run, handed to listeners at stop and written to results.
 *
 * @param run what the run was
 * @param statisticsFrom when the statistics began: the run's start, the end of its warm-up, or the
 *     last reset (the web page's reset button); what the rates and {@code duration} are counted from
 * @param duration how long the counted part of the run lasted (from {@code statisticsFrom} to the
 *     last user stopped)
 * @param peakUsers the most users that ran at once
 * @param endpoints per-endpoint statistics, sorted by key
 * @param total the statistics of all endpoints together
 * @param failures failures grouped by method, name and error
 * @param droppedIterations open model: iterations that could not start because every user was busy
 * @param cancelledAtStop requests (and measurements) that were in flight when the run cut its users
 *     off at stop (after {@code --stop-timeout}): counted here only, neither as a success nor as a
 *     failure, and not in the latency statistics, since their end is the stop's, not the target's
 */
public record Summary(
    RunInfo run,
    Instant statisticsFrom,
    Duration duration,
    int peakUsers,
    List<EndpointStats> endpoints,
    EndpointStats total,
    List<FailureStats> failures,
    long droppedIterations,
    long cancelledAtStop) {

  public Summary {
    Objects.requireNonNull(statisticsFrom, "statisticsFrom");
    endpoints = List.copyOf(endpoints);
    failures = List.copyOf(failures);
  }

  /** A summary without requests cancelled at stop. */
  public Summary(RunInfo run, Instant statisticsFrom, Duration duration, int peakUsers, List<EndpointStats> endpoints,
      EndpointStats total, List<FailureStats> failures, long droppedIterations) {
    this(run, statisticsFrom, duration, peakUsers, endpoints, total, failures, droppedIterations, 0);
  }

  /** When the last user stopped: {@code statisticsFrom} plus {@code duration}, to the millisecond. */
  public Instant finishedAt() {
    return statisticsFrom.plus(duration).truncatedTo(ChronoUnit.MILLIS);
  }
}
