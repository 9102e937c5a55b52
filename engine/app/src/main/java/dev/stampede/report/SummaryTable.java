package dev.stampede.report;

import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end-of-run tables printed on the console, in the manner of Locust's. */
public final class SummaryTable {

  private SummaryTable() {}

  /** Requests, response times (with percentiles), failures, task errors and listener delivery. */
  public static String render(Summary summary, List<ListenerDelivery> deliveries, Map<String, Long> taskErrors) {
    StringBuilder out = new StringBuilder();
    double seconds = Math.max(1e-9, summary.duration().toNanos() / 1e9);
    List<EndpointStats> rows = new ArrayList<>(summary.endpoints());
    rows.add(summary.total());
    int nameWidth = Math.max(30, rows.stream().mapToInt(r -> label(r).length()).max().orElse(30));
    nameWidth = Math.min(nameWidth, 60);

    out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9s %14s %9s %9s %9s %9s %9s %9s%n",
        "Type Name", "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s"));
    out.append("-".repeat(nameWidth + 90)).append('\n');
    for (EndpointStats row : rows) {
      if (row == summary.total()) {
        out.append("-".repeat(nameWidth + 90)).append('\n');
      }
      out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9d %14s %9s %9s %9s %9s %9.2f %9.2f%n",
          cut(label(row), nameWidth), row.count(),
          String.format(Locale.ROOT, "%d(%.2f%%)", row.failures(), row.errorRate()),
          ms(row.mean()), ms(row.min()), ms(row.max()), ms(row.percentiles().at(50)),
          row.count() / seconds, row.failures() / seconds));
    }
    out.append('\n').append("Response time percentiles (ms)\n");
    out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %9s%n",
        "Type Name", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%", "# reqs"));
    out.append("-".repeat(nameWidth + 110)).append('\n');
    for (EndpointStats row : rows) {
      if (row == summary.total()) {
        out.append("-".repeat(nameWidth + 110)).append('\n');
      }
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", cut(label(row), nameWidth)));
      for (double value : row.percentiles().values()) {
        line.append(String.format(Locale.ROOT, " %8s", ms(value)));
      }
      line.append(String.format(Locale.ROOT, " %9d", row.count()));
      out.append(line).append('\n');
    }
    if (!summary.failures().isEmpty()) {
      out.append('\n').append("Failures\n");
      out.append(String.format(Locale.ROOT, "%12s  %s%n", "# occurrences", "Error"));
      out.append("-".repeat(nameWidth + 60)).append('\n');
      for (FailureStats failure : summary.failures().subList(0, Math.min(20, summary.failures().size()))) {
        out.append(String.format(Locale.ROOT, "%12d  %s %s: %s%n", failure.occurrences(), failure.method(),
            failure.name(), failure.error().lines().findFirst().orElse("")));
      }
      if (summary.failures().size() > 20) {
        out.append("  ... and ").append(summary.failures().size() - 20).append(" more (see --json or --csv)\n");
      }
    }
    if (!taskErrors.isEmpty()) {
      out.append('\n').append("Exceptions thrown by tasks\n");
      taskErrors.forEach((task, count) -> out.append(String.format(Locale.ROOT, "%12d  %s%n", count, task)));
    }
    if (summary.droppedIterations() > 0) {
      out.append('\n').append(String.format(Locale.ROOT,
          "Dropped iterations: %d (every user was busy when they were due; raise --users)%n", summary.droppedIterations()));
    }
    if (summary.cancelledAtStop() > 0) {
      out.append('\n').append(String.format(Locale.ROOT,
          "Cancelled at stop: %d (in flight when the run ended; neither successes nor failures, not in the latencies;"
          + " --stop-timeout lets them finish)%n", summary.cancelledAtStop()));
    }
    if (!deliveries.isEmpty()) {
      out.append('\n').append("Listeners\n");
      for (ListenerDelivery delivery : deliveries) {
        out.append(String.format(Locale.ROOT, "  %-12s delivered %d, dropped %d, failed %d%s%s%n", delivery.name(),
            delivery.delivered(), delivery.dropped(), delivery.failed(),
            delivery.gaveUp() ? "  (gave up: it did not finish within listener.stop-timeout)" : "",
            delivery.report().details().isEmpty() ? "" : "  " + delivery.report().details()));
      }
    }
    return out.toString();
  }

  /**
   * One line when most dropped iterations fell in the run's first seconds: the run started cold
   * (JIT compilation, new connections), which {@code --warmup} absorbs; otherwise empty.
   */
  public static String startDropsHint(Summary summary, dev.stampede.engine.StartDrops startDrops) {
    if (!startDrops.clustered(summary.droppedIterations())) {
      return "";
    }
    return String.format(Locale.ROOT, "%d of the %d dropped iterations were due in the first %d s: a cold start"
        + " (JIT compilation, new connections, a cold target); --warmup 10s runs load first and counts it nowhere%n",
        startDrops.count(), summary.droppedIterations(), startDrops.window().toSeconds());
  }

  private static String label(EndpointStats row) {
    return row.method().isEmpty() ? row.name() : row.method() + " " + row.name();
  }

  private static String cut(String text, int width) {
    String single = text.replace('\n', ' ');
    return single.length() <= width ? single : single.substring(0, width - 1) + "…";
  }

  private static String ms(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (value >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
