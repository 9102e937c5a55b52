package dev.stampede.cli;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.KpiEvaluator;
import dev.stampede.kpi.KpiFile;
import dev.stampede.gate.KpiGate;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.gate.Verdict;
import dev.stampede.merge.MergedRun;
import dev.stampede.merge.ShardInfo;
import dev.stampede.merge.ShardReport;
import dev.stampede.merge.ShardResult;
import dev.stampede.report.CsvReport;
import dev.stampede.report.HtmlReport;
import dev.stampede.report.SummaryTable;
import dev.stampede.store.ResultsStore;
import dev.stampede.store.ResultsStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stampede merge SOURCE --expect N}: adds the shards of one distributed run into one result
 * ({@link MergedRun}) and writes and judges it as a run's own: {@code --json}, {@code --csv},
 * {@code --html} (with a table of the shards), {@code --kpi} with {@code --junit}, and the run's
 * exit codes.
 */
@Command(name = "merge", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Merges the shards of a distributed run exactly (histograms added, never percentiles averaged) and judges the KPIs on the whole.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:passed", "1:a KPI was missed (or requests failed, with --fail-on-failures)",
        "2:invalid usage, configuration or shard results", "3:shards are missing (without --allow-missing)"})
public final class MergeCommand implements Callable<Integer> {

  private static final Pattern SHARD_FILE = Pattern.compile("(?:.*/)?shard-(\\d+)\\.json");
  private static final Duration POLL = Duration.ofSeconds(1);

  @Parameters(index = "0", paramLabel = "SOURCE",
      description = "Where the run's shards wrote RUN/shard-I.json: the run's directory (results/RUN) or URI (s3://bucket/prefix/RUN).")
  String source;

  @Option(names = "--expect", paramLabel = "N", required = true, description = "How many shards the run has.")
  int expect;

  @Option(names = "--allow-missing", description = "Merges the shards that are there when some are missing (the result says so).")
  boolean allowMissing;

  @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
      description = "Waits up to DURATION for all N shards to be written (a merge Job started with the shards). Default: no wait.")
  Duration waitFor;

  @Option(names = "--json", paramLabel = "FILE", description = "Writes the merged result (mergeable again).")
  Path json;

  @Option(names = "--csv", paramLabel = "PREFIX", description = "Writes PREFIX_stats.csv and PREFIX_failures.csv.")
  String csv;

  @Option(names = "--html", paramLabel = "FILE", description = "Writes the HTML report, with a table of the shards.")
  Path html;

  @Option(names = "--kpi", paramLabel = "FILE", description = "KPIs (YAML or JSON) the merged run must meet; a miss is exit 1.")
  Path kpi;

  @Option(names = "--junit", paramLabel = "FILE", description = "Writes the KPI verdicts as JUnit XML.")
  Path junit;

  @Option(names = "--fail-on-failures", description = "Exit 1 when any request failed.")
  boolean failOnFailures;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A results-store setting, e.g. s3.endpoint=http://127.0.0.1:9000.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "Settings in a .properties or .yaml file.")
  Path config;

  @Option(names = {"-q", "--quiet"}, description = "No tables; errors and the verdict only.")
  boolean quiet;

  @Spec
  CommandSpec spec;

  Map<String, String> environment = System.getenv();
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (expect < 1) {
      throw new ConfigException("--expect must be >= 1 but was " + expect);
    }
    if (waitFor.isNegative()) {
      throw new ConfigException("--wait must be >= 0 but was " + waitFor);
    }
    KpiGate gate = kpi == null ? null : new KpiGate(KpiFile.load(kpi, new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()), clock);
    ConfigSource settings = Settings.resolve(config, environment, sets, new ListenerLoader().settingPrefixes());
    ResultsStore store = ResultsStores.open(source, settings);

    Map<Integer, String> found = awaitShards(store);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < expect; i++) {
      if (!found.containsKey(i)) {
        missing.add(i);
      }
    }
    List<String> beyond = found.keySet().stream().filter(i -> i >= expect).map(i -> found.get(i)).toList();
    if (!beyond.isEmpty()) {
      throw new ConfigException("--expect " + expect + " but " + store.location() + " holds " + beyond);
    }
    if (!missing.isEmpty() && (!allowMissing || found.isEmpty())) {
      throw new CannotRunException(String.format(Locale.ROOT,
          "%d of %d shards are missing in %s: shard %s%s", missing.size(), expect, store.location(), missing,
          found.isEmpty() ? "" : " (--allow-missing merges the others)"));
    }
    List<ShardResult> shards = new ArrayList<>();
    for (Map.Entry<Integer, String> entry : found.entrySet()) {
      shards.add(read(store, entry.getValue()));
    }
    List<String> problems = new ArrayList<>();
    for (ShardResult s : shards) {
      if (s.shard().count() != expect) {
        problems.add(s.source() + " is shard " + s.shard() + ", not of " + expect + " shards (--expect)");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    MergedRun merged = MergedRun.of(shards);
    RunOutcome outcome = merged.outcome();
    List<HtmlReport.KpiRow> kpiRows = kpiRows(gate, outcome);
    write(merged, missing, kpiRows);
    if (!quiet) {
      out.println();
      out.print(SummaryTable.render(outcome.summary(), outcome.deliveries(), outcome.taskErrors()));
      out.println();
      out.print(ShardReport.text(merged.shards()));
      out.flush();
    }
    if (!missing.isEmpty()) {
      err.println("stampede: warning: merged " + shards.size() + " of " + expect + " shards; missing: shard " + missing);
    }
    int code = ExitCode.PASSED;
    String runId = outcome.summary().run().runId();
    if (gate != null) {
      out.println();
      code = gate.judge(RunResultFile.fromSummary(outcome.summary()), out, junit, runId);
      if (code != ExitCode.PASSED) {
        err.println("stampede: FAILED: a KPI was missed");
      }
    }
    if (failOnFailures && outcome.summary().total().failures() > 0) {
      err.printf(Locale.ROOT, "stampede: FAILED: %d of %d requests failed%n", outcome.summary().total().failures(),
          outcome.summary().total().count());
      code = ExitCode.FAILED;
    }
    return code;
  }

  /** The shard files present, by index; polls up to {@code --wait} until all are there. */
  private Map<Integer, String> awaitShards(ResultsStore store) {
    long deadline = System.nanoTime() + waitFor.toNanos();
    while (true) {
      Map<Integer, String> found = new TreeMap<>();
      try {
        for (String name : store.list("")) {
          Matcher m = SHARD_FILE.matcher(name);
          if (m.matches() && name.indexOf('/') == name.lastIndexOf('/') && !name.substring(0, Math.max(0,
              name.indexOf('/'))).contains("ready")) {
            found.put(Integer.parseInt(m.group(1)), name);
          }
        }
      } catch (IOException e) {
        throw new CannotRunException("cannot list " + store.location() + ": " + e.getMessage(), e);
      }
      long countBelow = found.keySet().stream().filter(i -> i < expect).count();
      if (countBelow >= expect || System.nanoTime() >= deadline) {
        return found;
      }
      LockSupport.parkNanos(Math.min(POLL.toNanos(), Math.max(1, deadline - System.nanoTime())));
    }
  }

  private static ShardResult read(ResultsStore store, String name) {
    String location = store.location() + "/" + name;
    try {
      byte[] bytes = store.read(name).orElseThrow(() -> new CannotRunException(location + " disappeared"));
      return ShardResult.read(bytes, location);
    } catch (IOException e) {
      throw new CannotRunException("cannot read " + location + ": " + e.getMessage(), e);
    }
  }

  private void write(MergedRun merged, List<Integer> missing, List<HtmlReport.KpiRow> kpiRows) {
    RunOutcome outcome = merged.outcome();
    try {
      if (json != null) {
        List<RunResultFile.MergedShard> shards = new ArrayList<>();
        for (ShardResult s : merged.shards()) {
          shards.add(new RunResultFile.MergedShard(s.shard().index(), s.instance(), s.histograms().total().count(),
              s.histograms().total().failures(), s.startSkew() == null ? null : s.startSkew().toNanos() / 1e6,
              s.source()));
        }
        ResultJson.write(json, RunResultFile.fromOutcome(outcome, ShardInfo.WHOLE.part()).merged(shards, missing));
      }
      if (csv != null) {
        CsvReport.write(csv, outcome.summary(), outcome.history());
      }
      if (html != null) {
        if (html.toAbsolutePath().getParent() != null) {
          Files.createDirectories(html.toAbsolutePath().getParent());
        }
        Files.writeString(html, ShardReport.html(HtmlReport.render(outcome, kpiRows), merged.shards(), missing));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ConfigException("cannot write the merged results: " + e.getMessage());
    }
  }

  private List<HtmlReport.KpiRow> kpiRows(KpiGate gate, RunOutcome outcome) {
    if (gate == null) {
      return List.of();
    }
    List<HtmlReport.KpiRow> rows = new ArrayList<>();
    for (Verdict v : new KpiEvaluator(clock).evaluate(gate.kpis(), RunResultFile.fromSummary(outcome.summary())).verdicts()) {
      rows.add(new HtmlReport.KpiRow(v.kpi().name(), Double.isNaN(v.measured()) ? "" : v.kpi().metric().format(v.measured()),
          v.kpi().describeBound(), v.status(), v.message()));
    }
    return rows;
  }
}
