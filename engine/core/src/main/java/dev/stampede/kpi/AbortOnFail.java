package dev.stampede.kpi;

import java.time.Duration;

/**
 * Whether a run stops early once a KPI is already lost, and after how long KPIs are first judged.
 *
 * <p>Modelled on k6's {@code abortOnFail} and {@code delayAbortEval}: the delay lets enough
 * samples accumulate that one slow first request does not end the run.
 *
 * @param enabled whether to stop early
 * @param delay how long after the start of the load KPIs are first checked; 0 when not given
 */
public record AbortOnFail(boolean enabled, Duration delay) {

  /** Never stop early (the default). */
  public static final AbortOnFail OFF = new AbortOnFail(false, Duration.ZERO);

  public AbortOnFail {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0 but was " + delay);
    }
  }
}
