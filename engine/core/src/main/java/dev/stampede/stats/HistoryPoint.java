package dev.stampede.stats;

import dev.stampede.Percentiles;

/**
 * One point of a run's history, for charts and the stats-history CSV.
 *
 * @param epochMillis when the point was taken (the end of its interval)
 * @param seconds how many seconds of the run it covers (1, or more once history was thinned)
 * @param users users running at the end of the interval
 * @param rps requests per second over the interval
 * @param failuresPerSecond failures per second over the interval
 * @param percentiles response times (ms) over the interval
 * @param totalCount requests so far
 * @param totalFailures failures so far
 */
public record HistoryPoint(
    long epochMillis,
    double seconds,
    int users,
    double rps,
    double failuresPerSecond,
    Percentiles percentiles,
    long totalCount,
    long totalFailures) {}
