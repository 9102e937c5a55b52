package dev.stampede.cli;

import dev.stampede.compare.Comparison;
import dev.stampede.compare.ComparisonReport;
import dev.stampede.compare.NoisePolicy;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import dev.stampede.gate.KpiReport;
import dev.stampede.kpi.Metric;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stampede compare}: compares a run's {@code --json} result against a baseline, or a set of
 * change runs against a set of base runs, and exits 1 on a regression beyond tolerance.
 *
 * <p>Exit codes: 0 no regression (or the baseline was updated on purpose), 1 a regression,
 * 2 invalid usage or an unreadable file.
 */
@Command(name = "compare",
    description = {
        "Compare a result against a baseline, per endpoint; exit 1 on a regression beyond tolerance.",
        "  stampede compare baseline.json result.json [--tolerance 10%%]",
        "  stampede compare --base b1.json b2.json --change c1.json c2.json"},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:no regression", "1:a regression beyond tolerance",
        "2:invalid usage or unreadable file"})
public final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(arity = "0..2", paramLabel = "FILE",
      description = "BASELINE.json and CURRENT.json (the --json results of two runs).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--base", arity = "1..*", paramLabel = "FILE",
      description = "Result files of the base runs (compared by their per-endpoint medians).")
  List<Path> base = new ArrayList<>();

  @Option(names = "--change", arity = "1..*", paramLabel = "FILE",
      description = "Result files of the change runs, made back to back with the base runs.")
  List<Path> change = new ArrayList<>();

  @Option(names = "--tolerance", paramLabel = "PERCENT", defaultValue = "10%",
      description = "How far a metric may get worse before it is a regression. Default: ${DEFAULT-VALUE}.")
  String tolerance;

  @Option(names = "--metrics", split = ",", paramLabel = "METRIC",
      defaultValue = "p50,p95,p99,mean,error_rate",
      description = "Metrics to compare. Default: ${DEFAULT-VALUE}.")
  List<String> metrics;

  @Option(names = "--min-delta-ms", paramLabel = "MS", defaultValue = "1",
      description = "Time changes of at most this never count. Default: ${DEFAULT-VALUE} ms.")
  double minDeltaMs;

  @Option(names = "--fail-on-missing",
      description = "Fail when an endpoint of the baseline received no request in this run.")
  boolean failOnMissing;

  @Option(names = "--update-baseline",
      description = "Print the comparison, then replace BASELINE with CURRENT on purpose; exit 0.")
  boolean updateBaseline;

  @Option(names = "--max-cv", paramLabel = "PERCENT", defaultValue = "15%",
      description = "With --base/--change: the largest p95 coefficient of variation of a set that"
          + " is still conclusive. Default: ${DEFAULT-VALUE}.")
  String maxCv;

  @Option(names = "--on-noise", paramLabel = "warn|fail", defaultValue = "warn",
      description = "With --base/--change: exit code when a set is too noisy. Default: ${DEFAULT-VALUE}.")
  String onNoise;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Comparison comparison = Comparison.builder()
          .tolerancePercent(Percent.parse(tolerance, "--tolerance"))
          .metrics(parseMetrics(metrics))
          .minDeltaMs(nonNegative(minDeltaMs, "--min-delta-ms"))
          .failOnMissing(failOnMissing)
          .build();
      NoisePolicy policy = parsePolicy(onNoise);
      boolean sets = !base.isEmpty() || !change.isEmpty();
      ComparisonReport report;
      if (sets) {
        if (!files.isEmpty() || base.isEmpty() || change.isEmpty() || updateBaseline) {
          throw new ConfigException("give either BASELINE CURRENT, or --base FILE... and --change"
              + " FILE... (without --update-baseline)");
        }
        report = comparison.compareSets(readAll(base), readAll(change),
            positive(Percent.parse(maxCv, "--max-cv"), "--max-cv"));
      } else {
        if (files.size() != 2) {
          throw new ConfigException("compare needs BASELINE and CURRENT result files, or --base"
              + " and --change sets, but got " + files.size() + " file(s)");
        }
        report = comparison.compare(ResultJson.read(files.get(0)),
            ResultJson.read(files.get(1)));
      }
      out.print(report.render());
      if (updateBaseline) {
        replace(files.get(0), files.get(1));
        out.println("Baseline " + files.get(0) + " updated from " + files.get(1) + ".");
        out.flush();
        return KpiReport.EXIT_PASSED;
      }
      out.flush();
      return report.exitCode(policy);
    } catch (ConfigException e) {
      err.println("stampede compare: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  static List<Metric> parseMetrics(List<String> names) {
    List<Metric> parsed = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      Metric.parse(name).ifPresentOrElse(parsed::add, () -> unknown.add(name));
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException("--metrics: unknown metric(s) " + String.join(", ", unknown)
          + " (accepted: " + Metric.ACCEPTED + ")");
    }
    if (parsed.isEmpty()) {
      throw new ConfigException("--metrics must name at least one metric");
    }
    return parsed;
  }

  private static NoisePolicy parsePolicy(String text) {
    try {
      return NoisePolicy.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--on-noise must be warn or fail but was '" + text + "'");
    }
  }

  private static double nonNegative(double value, String option) {
    if (!(value >= 0)) {
      throw new ConfigException(option + " must be >= 0 but was " + value);
    }
    return value;
  }

  private static double positive(double value, String option) {
    if (!(value > 0)) {
      throw new ConfigException(option + " must be > 0 but was " + value + "%");
    }
    return value;
  }

  private static List<RunResultFile> readAll(List<Path> paths) {
    return paths.stream().map(ResultJson::read).toList();
  }

  private static void replace(Path baseline, Path current) {
    try {
      Path parent = baseline.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.copy(current, baseline, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConfigException("cannot update baseline " + baseline + ": " + ConfigFiles.oneLine(e.toString()));
    }
  }
}
