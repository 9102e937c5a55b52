package dev.stampede.report;

import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Summary;
import dev.stampede.stats.HistoryPoint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code --csv PREFIX} files in Locust's column layout, so existing spreadsheets and scripts
 * keep working: {@code PREFIX_stats.csv}, {@code PREFIX_stats_history.csv},
 * {@code PREFIX_failures.csv}. A history percentile that is unknown (in a merge of shards) is an
 * empty cell.
 */
public final class CsvReport {

  static final String PERCENTILE_COLUMNS = "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";
  static final String STATS_HEADER = "Type,Name,Request Count,Failure Count,Median Response Time,"
      + "Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
      + PERCENTILE_COLUMNS;
  static final String HISTORY_HEADER = "Timestamp,User Count,Type,Name,Requests/s,Failures/s," + PERCENTILE_COLUMNS
      + ",Total Request Count,Total Failure Count";
  static final String FAILURES_HEADER = "Method,Name,Error,Occurrences";

  private CsvReport() {}

  /** Writes the three files; returns their paths. */
  public static List<Path> write(String prefix, Summary summary, List<HistoryPoint> history) throws IOException {
    Path stats = Path.of(prefix + "_stats.csv");
    Path historyFile = Path.of(prefix + "_stats_history.csv");
    Path failures = Path.of(prefix + "_failures.csv");
    if (stats.toAbsolutePath().getParent() != null) {
      Files.createDirectories(stats.toAbsolutePath().getParent());
    }
    double seconds = Math.max(1e-9, summary.duration().toNanos() / 1e9);
    try (Writer out = Files.newBufferedWriter(stats, StandardCharsets.UTF_8)) {
      out.write(STATS_HEADER + "\n");
      for (EndpointStats endpoint : summary.endpoints()) {
        out.write(statsRow(endpoint, seconds) + "\n");
      }
      out.write(statsRow(summary.total(), seconds) + "\n");
    }
    try (Writer out = Files.newBufferedWriter(historyFile, StandardCharsets.UTF_8)) {
      out.write(HISTORY_HEADER + "\n");
      for (HistoryPoint point : history) {
        List<String> cells = new ArrayList<>();
        cells.add(Long.toString(point.epochMillis() / 1000));
        cells.add(Integer.toString(point.users()));
        cells.add("");
        cells.add(EndpointStats.TOTAL_NAME);
        cells.add(number(point.rps()));
        cells.add(number(point.failuresPerSecond()));
        for (double value : point.percentiles().values()) {
          // Unknown (a merge of shards, whose percentiles per second cannot be added): an empty cell.
          cells.add(Double.isNaN(value) ? "" : number(value));
        }
        cells.add(Long.toString(point.totalCount()));
        cells.add(Long.toString(point.totalFailures()));
        out.write(String.join(",", cells) + "\n");
      }
    }
    try (Writer out = Files.newBufferedWriter(failures, StandardCharsets.UTF_8)) {
      out.write(FAILURES_HEADER + "\n");
      for (FailureStats failure : summary.failures()) {
        out.write(String.join(",", quote(failure.method()), quote(failure.name()), quote(failure.error()),
            Long.toString(failure.occurrences())) + "\n");
      }
    }
    return List.of(stats, historyFile, failures);
  }

  static String statsRow(EndpointStats stats, double seconds) {
    List<String> cells = new ArrayList<>();
    cells.add(quote(stats.method()));
    cells.add(quote(stats.name()));
    cells.add(Long.toString(stats.count()));
    cells.add(Long.toString(stats.failures()));
    cells.add(number(stats.percentiles().at(50)));
    cells.add(number(stats.mean()));
    cells.add(number(stats.min()));
    cells.add(number(stats.max()));
    cells.add(number(stats.bytesMean()));
    cells.add(number(stats.rps()));
    cells.add(number(stats.failures() / seconds));
    for (double value : stats.percentiles().values()) {
      cells.add(number(value));
    }
    return String.join(",", cells);
  }

  /** RFC 4180 quoting when the value needs it. */
  static String quote(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
  }
}
