package dev.stampede;

import java.util.List;

/**
 * The state of a run at one tick of the engine (once per second).
 *
 * @param epochMillis when the snapshot was taken
 * @param elapsedSeconds seconds since the load started
 * @param users users running now
 * @param total the statistics of all endpoints so far, with current (10 s) rates
 * @param endpoints per-endpoint statistics so far
 * @param intervalCount requests completed in this interval
 * @param intervalFailures failures in this interval
 * @param intervalP50 median response time (ms) in this interval, 0 when no request completed
 * @param intervalP95 95th percentile (ms) in this interval
 * @param intervalP99 99th percentile (ms) in this interval
 */
public record Snapshot(
    long epochMillis,
    double elapsedSeconds,
    int users,
    EndpointStats total,
    List<EndpointStats> endpoints,
    long intervalCount,
    long intervalFailures,
    double intervalP50,
    double intervalP95,
    double intervalP99) {

  public Snapshot {
    endpoints = List.copyOf(endpoints);
  }
}
