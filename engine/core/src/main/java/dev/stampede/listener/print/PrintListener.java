package dev.stampede.listener.print;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code --listener print}: one line per request on standard error, for debugging a scenario.
 * Not for load: printing is slow, and under load its queue fills and results are dropped (counted).
 */
public final class PrintListener implements Listener {

  private final PrintStream out;

  /** Prints to {@code out}. */
  public PrintListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onStart(RunInfo run) {
    out.println("run " + run.runId() + " started");
  }

  @Override
  public void onResults(List<RequestResult> batch) {
    for (RequestResult result : batch) {
      out.println(String.format(Locale.ROOT, "%s %s %d %.3fms %dB%s", result.method(), result.name(), result.status(),
          result.responseTimeMillis(), result.bytes(), result.success() ? "" : " FAILED: " + result.failure()));
    }
  }

  @Override
  public void onStop(Summary summary) {
    out.flush();
  }
}
