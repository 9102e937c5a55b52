package dev.stampede.report;

import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@code --html FILE}: one self-contained HTML page with the run summary, the statistics
 * table with every percentile, charts over time (requests/s and failures/s, p50/p95/p99, users), the
 * response times per endpoint by percentile, failures, task errors, listener deliveries and KPI
 * verdicts. Scripts (uPlot, MIT licence, and Stampede's renderer), styles and data are inlined, and
 * a Content-Security-Policy forbids the page any request, so it opens offline from a CI artifact or
 * an e-mail attachment and cannot leak.
 *
 * <p>User-controlled strings (endpoint names, errors, tags) travel only inside the JSON data, with
 * {@code <}, {@code >} and {@code &} escaped, and are put on the page with {@code textContent}.
 */
public final class HtmlReport {

  private static final String TEMPLATE = "dev/stampede/report/report.html";

  private HtmlReport() {}

  /**
   * One KPI verdict row of the report.
   *
   * @param name the KPI, e.g. {@code p95 of GET /items}
   * @param measured what the run measured, formatted with its unit, e.g. {@code 212.4 ms}
   * @param bound the rule, e.g. {@code < 300 ms}
   * @param status the verdict
   * @param message a sentence for people, or an empty string
   */
  public record KpiRow(String name, String measured, String bound, Verdict.Status status, String message) {

    public KpiRow {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
      measured = measured == null ? "" : measured;
      bound = bound == null ? "" : bound;
      message = message == null ? "" : message;
    }
  }

  /** Writes the report of {@code outcome} to {@code file}, creating parent directories; no KPI section when empty. */
  public static void write(Path file, RunOutcome outcome, List<KpiRow> kpis) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(outcome, kpis), StandardCharsets.UTF_8);
  }

  /** The report of {@code outcome} as one HTML document. */
  public static String render(RunOutcome outcome, List<KpiRow> kpis) {
    String runId = outcome.summary().run().runId();
    return HtmlTemplate.load(TEMPLATE).render(Map.of(
        "title", HtmlTemplate.escapeText("Stampede report: run " + runId),
        "uplot_license", HtmlTemplate.inComment(WebAssets.uplotLicense()),
        "uplot_css", HtmlTemplate.inStyle(WebAssets.uplotCss()),
        "app_css", HtmlTemplate.inStyle(WebAssets.appCss()),
        "run_view", WebAssets.runViewHtml(),
        "uplot_js", HtmlTemplate.inScript(WebAssets.uplotJs()),
        "app_js", HtmlTemplate.inScript(WebAssets.appJs()),
        "data", RunView.toScriptSafeJson(RunView.finished(outcome, List.copyOf(kpis)))));
  }
}
