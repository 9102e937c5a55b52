package dev.stampede.cli;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import dev.stampede.history.Trend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stampede trend DIR}: prints {@code date,endpoint,p50,p95,p99} CSV of the runs archived in
 * DIR (by {@code --results-dir}) and writes a self-contained HTML chart of the trend.
 *
 * <p>Exit codes: 0 done, 2 DIR is not a directory or a file cannot be written.
 */
@Command(name = "trend",
    description = {"Print the p50/p95/p99 trend of archived runs as CSV and write an HTML chart.",
        "  stampede trend results/ [--html trend.html] [--csv trend.csv]"},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:done", "2:invalid usage, DIR missing or an output not writable"})
public final class TrendCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "DIR",
      description = "The results directory (--results-dir of stampede run).")
  Path dir;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Where to write the chart. Default: DIR/trend.html.")
  Path html;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Write the CSV to FILE instead of standard output.")
  Path csv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Trend trend = Trend.load(dir);
      for (String skipped : trend.skipped()) {
        err.println("stampede trend: skipped " + skipped);
      }
      if (trend.points().isEmpty()) {
        err.println("stampede trend: no result files in " + dir);
      }
      Path chart = html != null ? html : dir.resolve("trend.html");
      try {
        if (csv != null) {
          Files.writeString(csv, trend.csv());
        } else {
          out.print(trend.csv());
        }
        trend.writeHtml(chart);
      } catch (IOException | UncheckedIOException e) {
        throw new ConfigException("cannot write the trend: " + ConfigFiles.oneLine(e.getMessage()));
      }
      err.println("stampede trend: chart written to " + chart);
      out.flush();
      err.flush();
      return 0;
    } catch (ConfigException e) {
      err.println("stampede trend: " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
