package dev.stampede.cli;

import dev.stampede.bus.ListenerDelivery;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.KpiEvaluator;
import dev.stampede.gate.KpiGate;
import dev.stampede.gate.Verdict;
import dev.stampede.merge.ShardInfo;
import dev.stampede.report.CsvReport;
import dev.stampede.report.HtmlReport;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
  private final KpiGate gate;
  private final Clock clock;
  private final List<String> failures = new ArrayList<>();

  /**
   * @param err where a failed output is reported
   * @param gate the KPIs whose verdicts the HTML report shows, or null
   * @param clock the clock KPIs with a {@code skip_until} date are judged by
   */
  ResultOutputs(PrintWriter err, KpiGate gate, Clock clock) {
    this.err = err;
    this.gate = gate;
    this.clock = clock;
  }

  /** Writes {@code --json FILE} (null: none) and the {@code --csv} files under {@code csvPrefix} (null: none). */
  void writeResults(RunOutcome outcome, ShardInfo shard, Path jsonFile, String csvPrefix) {
    if (jsonFile != null) {
      write("--json " + jsonFile, () -> ResultJson.write(jsonFile, RunResultFile.fromOutcome(outcome, shard.part())));
    }
    if (csvPrefix != null) {
      write("--csv " + csvPrefix, () -> CsvReport.write(csvPrefix, outcome.summary(), outcome.history()));
    }
  }

  /** Writes {@code --html FILE} with the KPI verdicts; null: none. */
  void writeHtml(RunOutcome outcome, Path file) {
    if (file != null) {
      write("--html " + file, () -> HtmlReport.write(file, outcome, kpiRows(outcome)));
    }
  }

  /** The KPI verdicts of {@code outcome} as the HTML report's rows; none without KPIs. */
  List<HtmlReport.KpiRow> kpiRows(RunOutcome outcome) {
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
