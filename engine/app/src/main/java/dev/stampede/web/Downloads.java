package dev.stampede.web;

import com.sun.net.httpserver.HttpExchange;
import dev.stampede.Summary;
import dev.stampede.engine.RunOutcome;
import dev.stampede.report.CsvReport;
import dev.stampede.report.HtmlReport;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code GET /download/NAME}: the last finished run's files, the same a headless run writes with
 * {@code --csv}, {@code --json} and {@code --html}, named after the run's id.
 */
final class Downloads {

  private Downloads() {}

  /** Sends file {@code name} of {@code status}'s last run: 409 before any run ended, 404 for an unknown name. */
  static void send(HttpExchange exchange, String name, RunControl.Status status) throws IOException {
    RunOutcome outcome = status.lastOutcome();
    List<KpiRow> rows = status.lastKpis();
    if (outcome == null) {
      Responses.send(exchange, 409, Responses.TEXT, "no finished run yet: downloads appear when a run has ended\n");
      return;
    }
    Summary summary = outcome.summary();
    String base = "stampede-" + summary.run().runId().replaceAll("[^A-Za-z0-9._-]", "_");
    switch (name) {
      case "stats.csv", "stats_history.csv", "failures.csv" -> {
        Path dir = Files.createTempDirectory("stampede-web-csv");
        try {
          List<Path> files = CsvReport.write(dir.resolve("run").toString(), summary, outcome.history());
          Path file = files.stream().filter(p -> p.getFileName().toString().equals("run_" + name)).findFirst()
              .orElseThrow();
          Responses.attachment(exchange, base + "_" + name);
          Responses.send(exchange, 200, "text/csv; charset=utf-8", Files.readAllBytes(file));
        } finally {
          try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
      case "result.json" -> {
        Responses.attachment(exchange, base + ".json");
        Responses.send(exchange, 200, "application/json", ResultJson.toJson(
            RunResultFile.fromSummary(summary, outcome.deliveries(), outcome.taskErrors())));
      }
      case "report.html" -> {
        Responses.attachment(exchange, base + ".html");
        Responses.send(exchange, 200, "text/html; charset=utf-8", HtmlReport.render(outcome, rows));
      }
      default -> Responses.send(exchange, 404, Responses.TEXT, "no such download\n");
    }
  }
}
