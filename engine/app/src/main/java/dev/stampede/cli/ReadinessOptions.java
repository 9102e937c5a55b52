package dev.stampede.cli;

import dev.stampede.Http;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.HttpFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/**
 * {@code --wait-for}: before any load, {@code stampede run} polls the target until it is ready, or
 * exits with code 3.
 */
final class ReadinessOptions {

  @Option(names = "--wait-for", paramLabel = "URL", description = "Polls URL before any load until it answers 2xx; exit 3 if it never does.")
  String waitFor;

  @Option(names = "--wait-for-body", paramLabel = "REGEX", description = "With --wait-for: the body must also match REGEX.")
  String waitForBody;

  @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "3m",
      description = "How long --wait-for polls. Default: ${DEFAULT-VALUE}.")
  Duration waitTimeout;

  /** Whether a readiness check was asked for. */
  boolean enabled() {
    return waitFor != null;
  }

  /**
   * Polls until the target is ready, with a client of {@code http}: the run's, so that the poll goes
   * through the run's proxy and trusts what the run trusts; says so on {@code out} unless {@code quiet}.
   *
   * @throws CannotRunException when it never was, with the last answer seen
   * @throws ConfigException when {@code --wait-for-body} is not a regular expression
   */
  void await(PrintWriter out, boolean quiet, HttpFactory http) {
    Http client = http.create("", ReadinessProbe.uncounted());
    try {
      await(out, quiet, client);
    } finally {
      if (client instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // the probe's connections only; nothing of the run depends on them
        }
      }
    }
  }

  private void await(PrintWriter out, boolean quiet, Http client) {
    ReadinessProbe.Builder probe = ReadinessProbe.builder(waitFor).timeout(waitTimeout).http(client);
    if (waitForBody != null) {
      try {
        probe.bodyPattern(Pattern.compile(waitForBody));
      } catch (PatternSyntaxException e) {
        throw new ConfigException("--wait-for-body " + waitForBody + " is not a regular expression: "
            + e.getDescription());
      }
    }
    ReadinessProbe.Result result = probe.build().await();
    if (!result.ready()) {
      throw new CannotRunException(result.describe());
    }
    if (!quiet) {
      out.println(result.describe());
    }
  }
}
