package dev.stampede;

import java.time.Duration;
import java.util.List;

/**
 * The statistics of a whole run, handed to listeners at stop and written to results.
 *
 * @param run what the run was
 * @param duration how long the load ran (from start to the last user stopped)
 * @param peakUsers the most users that ran at once
 * @param endpoints per-endpoint statistics, sorted by key
 * @param total the statistics of all endpoints together
 * @param failures failures grouped by method, name and error
 * @param droppedIterations open model: iterations that could not start because every user was busy
 */
public record Summary(
    RunInfo run,
    Duration duration,
    int peakUsers,
    List<EndpointStats> endpoints,
    EndpointStats total,
    List<FailureStats> failures,
    long droppedIterations) {

  public Summary {
    endpoints = List.copyOf(endpoints);
    failures = List.copyOf(failures);
  }
}
