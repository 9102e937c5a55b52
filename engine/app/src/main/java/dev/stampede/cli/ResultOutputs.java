package dev.stampede.cli;

import dev.stampede.bus.ListenerDelivery;
import dev.stampede.engine.RunOutcome;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's outputs ({@code --json}, {@code --csv}, {@code --html}) each on its own: one that
 * fails is reported on standard error and remembered, and the others, the summary tables and the
 * verdict still follow. Also reports a {@code --requests-log} that could not write every row, which
 * as a listener fails during the run rather than here.
 */
final class ResultOutputs {

  /** Name of the requests log on the result bus. */
  static final String REQUESTS_LOG = "requests-log";

  /** One output's writing. */
  interface Output {
    void write() throws IOException;
  }

  private final PrintWriter err;
  private final List<String> failures = new ArrayList<>();

  ResultOutputs(PrintWriter err) {
    this.err = err;
  }

  /** Writes {@code output} (named for the user, e.g. "--csv out/run"); reports a failure, never throws it. */
  void write(String name, Output output) {
    try {
      output.write();
    } catch (IOException | RuntimeException e) {
      fail(name, WarnThenDebugLogger.describe(e));
    }
  }

  /** Reports the requests log when it could not write every row. */
  void checkRequestsLog(RunOutcome outcome, String name) {
    for (ListenerDelivery delivery : outcome.deliveries()) {
      if (!delivery.name().equals(REQUESTS_LOG)) {
        continue;
      }
      Object error = delivery.report().details().get("error");
      if (delivery.failed() > 0 || delivery.dropped() > 0 || error != null) {
        fail(name, String.format(Locale.ROOT, "%d rows not written (%d failed, %d dropped)%s",
            delivery.failed() + delivery.dropped(), delivery.failed(), delivery.dropped(),
            error == null ? "" : ": " + error));
      }
    }
  }

  private void fail(String name, String reason) {
    String line = "cannot write " + name + ": " + reason;
    failures.add(line);
    err.println("stampede: " + line);
    err.flush();
  }

  /** Whether any output failed. */
  boolean failed() {
    return !failures.isEmpty();
  }
}
