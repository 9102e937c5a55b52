package dev.stampede.cli;

import dev.stampede.compare.NoisePolicy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How {@code stampede run} judges the run: KPIs and their JUnit report, repeated runs judged on
 * their medians with a noise bound, and failed requests as a failure.
 */
final class VerdictOptions {

  @Option(names = "--kpi", paramLabel = "FILE", description = "KPIs (YAML or JSON) the run must meet; a miss is exit 1.")
  Path kpi;

  @Option(names = "--junit", paramLabel = "FILE", description = "Writes the KPI verdicts as JUnit XML.")
  Path junit;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Runs the test N times and judges the per-endpoint medians. Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(names = "--max-cv", paramLabel = "PERCENT", defaultValue = "15",
      description = "With --repeat: above this coefficient of variation of p95 the verdict is inconclusive. Default: ${DEFAULT-VALUE}.")
  double maxCv;

  @Option(names = "--on-noise", paramLabel = "warn|fail", defaultValue = "warn", converter = NoisePolicyConverter.class,
      description = "With --repeat: what an inconclusive (too noisy) verdict does. Default: ${DEFAULT-VALUE}.")
  NoisePolicy onNoise;

  @Option(names = "--fail-on-failures",
      description = "Exit 1 when any request failed, and 3 when no request completed at all.")
  boolean failOnFailures;
}
