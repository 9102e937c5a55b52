package dev.stampede.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import dev.stampede.report.RunView;
import dev.stampede.report.WebAssets;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The history of a results directory ({@code stampede trend DIR}): one point per archived run and
 * endpoint (and the total), as CSV ({@code date,endpoint,p50,p95,p99}) and as a self-contained HTML
 * chart per endpoint.
 *
 * <p>The chart page inlines uPlot (https://github.com/leeoniya/uPlot, MIT) from its Maven Central
 * webjar, so it opens from a CI artifact with no network. Files in the directory that are not
 * result files are skipped and listed in {@link #skipped()}, so one truncated file of a killed run
 * does not hide the rest of the history.
 *
 * @param points the points, by date then endpoint ({@code total} last in each run)
 * @param skipped one line per file that could not be read, with why
 */
public record Trend(List<Point> points, List<String> skipped) {

  /**
   * One endpoint in one run.
   *
   * @param date when the run started
   * @param endpoint the endpoint key, or {@code total}
   * @param runId the run's id
   * @param p50 median response time (ms), NaN without requests
   * @param p95 95th percentile (ms)
   * @param p99 99th percentile (ms)
   */
  public record Point(Instant date, String endpoint, String runId, double p50, double p95,
      double p99) {}

  public Trend {
    points = List.copyOf(points);
    skipped = List.copyOf(skipped);
  }

  /**
   * Reads every {@code *.json} file directly in {@code dir}.
   *
   * @throws ConfigException when {@code dir} is not a readable directory
   */
  public static Trend load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("results directory " + dir + " does not exist or is not a directory");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
          .sorted().toList();
    } catch (IOException e) {
      throw new ConfigException("cannot list results directory " + dir + ": "
          + ConfigFiles.oneLine(e.toString()));
    }
    List<RunResultFile> runs = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Path file : files) {
      try {
        runs.add(ResultJson.read(file));
      } catch (ConfigException e) {
        skipped.add(e.getMessage());
      }
    }
    return of(runs, skipped);
  }

  /** The trend of {@code runs}, in order of their start. */
  public static Trend of(List<RunResultFile> runs, List<String> skipped) {
    List<Point> points = new ArrayList<>();
    runs.stream().sorted(Comparator.comparing(RunResultFile::startedAt)).forEach(run -> {
      run.endpoints().forEach((key, e) -> points.add(point(run, key, e)));
      points.add(point(run, RunResultFile.TOTAL, run.total()));
    });
    return new Trend(points, skipped);
  }

  private static Point point(RunResultFile run, String key, RunResultFile.EndpointResult e) {
    boolean none = e.count() == 0;
    return new Point(run.startedAt(), key, run.runId(), none ? Double.NaN : e.percentile(50),
        none ? Double.NaN : e.percentile(95), none ? Double.NaN : e.percentile(99));
  }

  /** {@code date,endpoint,p50,p95,p99} with a header line; times in ms, empty without requests. */
  public String csv() {
    StringBuilder out = new StringBuilder("date,endpoint,p50,p95,p99\n");
    for (Point p : points) {
      out.append(p.date()).append(',').append(csvField(p.endpoint())).append(',')
          .append(number(p.p50())).append(',').append(number(p.p95())).append(',')
          .append(number(p.p99())).append('\n');
    }
    return out.toString();
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
  static String csvField(String text) {
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }

  /** Writes the chart page: one chart per endpoint with p50, p95 and p99 over time. */
  public void writeHtml(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, html());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trend chart " + file, e);
    }
  }

  /** The chart page as text. */
  public String html() {
    Map<String, ObjectNode> series = new LinkedHashMap<>();
    for (Point p : points) {
      ObjectNode s = series.computeIfAbsent(p.endpoint(), k -> {
        ObjectNode n = RunView.newObject();
        n.putArray("t");
        n.putArray("run");
        n.putArray("p50");
        n.putArray("p95");
        n.putArray("p99");
        return n;
      });
      ((ArrayNode) s.get("t")).add(p.date().toEpochMilli() / 1000.0);
      ((ArrayNode) s.get("run")).add(p.runId());
      add((ArrayNode) s.get("p50"), p.p50());
      add((ArrayNode) s.get("p95"), p.p95());
      add((ArrayNode) s.get("p99"), p.p99());
    }
    ObjectNode data = RunView.newObject();
    series.forEach(data::set);
    String json = RunView.toScriptSafeJson(data);
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Stampede trend</title>
        <style>
        %s
        body { font-family: sans-serif; margin: 1.5em; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
        .note { color: #666; font-size: 0.9em; }
        </style>
        <script>
        %s
        </script>
        </head>
        <body>
        <h1>Stampede trend: response times per run (ms)</h1>
        <p class="note">%d runs: p50, p95 and p99 of each endpoint and of the total, per archived run.</p>
        <div id="charts"></div>
        <script>
        const DATA = %s;
        const charts = document.getElementById("charts");
        for (const [endpoint, s] of Object.entries(DATA)) {
          const h = document.createElement("h2");
          h.textContent = endpoint;
          charts.appendChild(h);
          const div = document.createElement("div");
          charts.appendChild(div);
          const opts = {
            width: Math.min(1000, window.innerWidth - 60), height: 300,
            scales: { x: { time: true } },
            series: [
              { label: "run start" },
              { label: "p50", stroke: "#2b8a3e", width: 2, points: { show: true } },
              { label: "p95", stroke: "#e67700", width: 2, points: { show: true } },
              { label: "p99", stroke: "#c92a2a", width: 2, points: { show: true } }
            ],
            axes: [{}, { label: "ms" }]
          };
          new uPlot(opts, [s.t, s.p50, s.p95, s.p99], div);
        }
        </script>
        </body>
        </html>
        """.formatted(WebAssets.uplotCss(), WebAssets.uplotJs(),
        points.stream().map(Point::date).distinct().count(), json);
  }

  private static void add(ArrayNode array, double value) {
    if (Double.isNaN(value)) {
      array.addNull();
    } else {
      array.add(value);
    }
  }
}
