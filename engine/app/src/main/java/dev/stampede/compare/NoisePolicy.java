package dev.stampede.compare;

/** What an inconclusive (too noisy) set of repeated runs does to the exit code. */
public enum NoisePolicy {
  /** Print the warning and exit 0: the numbers cannot be trusted either way (the default). */
  WARN,
  /** Exit 1, as for a missed KPI: for pipelines that must not pass on noise. */
  FAIL
}
