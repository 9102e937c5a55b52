package dev.stampede.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What {@code stampede run} writes and prints: the result files ({@code --json}, {@code --csv},
 * {@code --requests-log}, {@code --html}), the results archive or store, and how much the console
 * shows.
 */
final class OutputOptions {

  @Option(names = "--json", paramLabel = "FILE", description = "Writes the machine-readable result.")
  Path json;

  @Option(names = "--csv", paramLabel = "PREFIX", description = "Writes PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv.")
  String csv;

  @Option(names = "--requests-log", paramLabel = "FILE", description = "Writes one CSV row per request.")
  Path requestsLog;

  @Option(names = "--html", paramLabel = "FILE", description = "Writes a self-contained HTML report (charts, tables, KPI verdicts).")
  Path html;

  @Option(names = "--results-dir", paramLabel = "DIR|URI",
      description = "Archives the JSON result under a name with the time and git commit; a shard (--shard, --start-at)"
          + " writes RUN/shard-I.json once, here or to a plugin's store such as s3://bucket/prefix.")
  String resultsDir;

  @Option(names = {"-q", "--quiet"}, description = "No live progress and no tables; errors and the verdict only.")
  boolean quiet;

  /** {@code file} with {@code -runN} before its extension, for run {@code run} of {@code --repeat}; null stays null. */
  static Path numbered(Path file, int run) {
    if (file == null) {
      return null;
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot > 0 ? name.substring(0, dot) + "-run" + run + name.substring(dot) : name + "-run" + run;
    return file.resolveSibling(numbered);
  }
}
