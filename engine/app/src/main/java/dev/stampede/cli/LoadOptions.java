package dev.stampede.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The load's shape in {@code stampede run}: how many users, how fast they start, how long the run
 * lasts (closed model), or the arrival rate (open model); the carrier threads; and how the run
 * warms up and stops.
 */
final class LoadOptions {

  @Option(names = {"-u", "--users"}, paramLabel = "N",
      description = "Users to run (closed model) or the most concurrent users (open model). Default: 1, or 100 with --arrival-rate.")
  Integer users;

  @Option(names = {"-r", "--spawn-rate"}, paramLabel = "R", description = "Users started per second. Default: all at once within 1 s.")
  Double spawnRate;

  @Option(names = {"-t", "--run-time"}, paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the load runs: 30s, 5m, 1h. Default: until Ctrl-C (or the scenario's load shape ends).")
  Duration runTime;

  @Option(names = "--arrival-rate", paramLabel = "R",
      description = "Open model: iterations started per second, measured from their intended start.")
  Double arrivalRate;

  @Option(names = "--threads", paramLabel = "N",
      description = "Platform threads that run the users and poll their sockets, like wrk's -t. Default: the number of cores.")
  Integer threads;

  @Option(names = "--stop-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
      description = "How long users may finish their current task at stop. Default: ${DEFAULT-VALUE}.")
  Duration stopTimeout;

  @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "25s",
      description = "After Ctrl-C or SIGTERM, how long the graceful stop (users, listeners' final flush, result files)"
          + " may take before the process exits anyway. Default: ${DEFAULT-VALUE}, within Kubernetes' 30 s grace period.")
  Duration shutdownTimeout;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
      description = "Load run before the measured run and counted nowhere. Default: none.")
  Duration warmup;
}
