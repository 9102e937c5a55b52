package dev.stampede.cli;

import dev.stampede.Snapshot;
import dev.stampede.config.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Live progress on the console: on a terminal one line refreshed in place every second; in CI logs
 * (not a terminal) a plain line every few seconds, so logs stay readable.
 */
final class Progress implements Consumer<Snapshot> {

  private static final int PLAIN_EVERY_SECONDS = 5;

  private final PrintWriter out;
  private final boolean terminal;
  private final Duration runTime;
  private long lastPlainSecond = -PLAIN_EVERY_SECONDS;
  private boolean wroteInPlace;

  Progress(PrintWriter out, boolean terminal, Duration runTime) {
    this.out = out;
    this.terminal = terminal;
    this.runTime = runTime;
  }

  @Override
  public void accept(Snapshot snapshot) {
    long second = (long) snapshot.elapsedSeconds();
    String line = line(snapshot);
    if (terminal) {
      out.print("\r\033[2K" + line);
      out.flush();
      wroteInPlace = true;
    } else if (second - lastPlainSecond >= PLAIN_EVERY_SECONDS) {
      lastPlainSecond = second;
      out.println(line);
    }
  }

  /** Ends the in-place line before other output. */
  void finish() {
    if (wroteInPlace) {
      out.println();
      wroteInPlace = false;
    }
  }

  String line(Snapshot snapshot) {
    Duration elapsed = Duration.ofMillis((long) (snapshot.elapsedSeconds() * 1000));
    String time = Durations.format(Duration.ofSeconds(Math.round(snapshot.elapsedSeconds())));
    if (runTime != null) {
      // Whole seconds, rounded up: "1s left" until the run is really over.
      long remainingSeconds = Math.max(0, (runTime.toMillis() - elapsed.toMillis() + 999) / 1000);
      time += " / " + Durations.format(Duration.ofSeconds(remainingSeconds)) + " left";
    }
    return String.format(Locale.ROOT, "[%s] users %d | %.1f req/s | p95 %.1f ms | %d reqs, %d failures (%.2f%%)",
        time, snapshot.users(), snapshot.total().currentRps(), snapshot.intervalP95(), snapshot.total().count(),
        snapshot.total().failures(), snapshot.total().errorRate());
  }
}
