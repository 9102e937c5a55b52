package dev.stampede.kpi;

import dev.stampede.Percentiles;

/**
 * The statistics of one endpoint (or of all together) that a {@link Metric} reads: the engine's
 * own {@link dev.stampede.EndpointStats} during a run, a result file's rows after it.
 */
public interface Measured {

  /** Requests, failures included. */
  long count();

  /** Failed requests. */
  long failures();

  /** Requests per second over the run. */
  double rps();

  /** Mean response time, ms; NaN without requests. */
  double mean();

  /** Slowest response time, ms; NaN without requests. */
  double max();

  /** Failures as a percentage of requests (0 to 100), 0 when there were none. */
  double errorRate();

  /** The response time (ms) at a percentile of {@link Percentiles#REPORTED}. */
  double percentile(double percentile);
}
