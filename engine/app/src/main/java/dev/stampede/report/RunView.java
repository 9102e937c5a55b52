package dev.stampede.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.engine.RunOutcome;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.stats.HistoryPoint;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The data the HTML report and the live page render: one JSON document with the run summary,
 * statistics rows (with every percentile of {@link Percentiles#REPORTED}), history series for the
 * charts, failures, task errors, listener deliveries and KPI verdicts. Both pages render it with the
 * same script ({@code stampede.js}); every string in it is shown with {@code textContent}, never
 * parsed as HTML. Times are in milliseconds, rates per second, history timestamps in epoch seconds.
 */
public final class RunView {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper SCRIPT_SAFE = new ObjectMapper();

  static {
    SCRIPT_SAFE.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
  }

  private RunView() {}

  /** The view of a finished run. */
  public static ObjectNode finished(RunOutcome outcome, List<KpiRow> kpis) {
    Summary summary = outcome.summary();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("state", "finished");
    root.put("live", false);
    ObjectNode run = root.putObject("run");
    run.put("run_id", summary.run().runId());
    run.put("instance", summary.run().instance());
    run.put("host", summary.run().host());
    run.put("scenario", summary.run().scenario());
    run.put("started_at", summary.run().startedAt().toString());
    run.put("statistics_from", summary.statisticsFrom().toString());
    run.put("finished_at", summary.finishedAt().toString());
    run.put("duration_s", round(summary.duration().toNanos() / 1e9));
    run.put("peak_users", summary.peakUsers());
    run.put("users", summary.peakUsers());
    run.put("dropped_iterations", summary.droppedIterations());
    run.put("cancelled_at_stop", summary.cancelledAtStop());
    run.put("interrupted", outcome.interrupted());
    if (outcome.aborted() != null) {
      run.put("aborted", outcome.aborted());
    }
    ObjectNode tags = run.putObject("tags");
    summary.run().tags().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> tags.put(e.getKey(), e.getValue()));
    statistics(root, summary.endpoints(), summary.total());
    history(root, outcome.history());
    failures(root, summary.failures());
    ArrayNode errors = root.putArray("task_errors");
    outcome.taskErrors().forEach((task, count) -> errors.addObject().put("task", task).put("count", count));
    ArrayNode listeners = root.putArray("listeners");
    for (ListenerDelivery delivery : outcome.deliveries()) {
      ObjectNode node = listeners.addObject();
      node.put("name", delivery.name());
      node.put("accepted", delivery.accepted());
      node.put("delivered", delivery.delivered());
      node.put("dropped", delivery.dropped());
      node.put("failed", delivery.failed());
      ObjectNode details = node.putObject("details");
      delivery.report().details().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> details.put(e.getKey(), String.valueOf(e.getValue())));
    }
    ArrayNode kpiNodes = root.putArray("kpis");
    for (KpiRow kpi : kpis) {
      kpiNodes.addObject().put("name", kpi.name()).put("measured", kpi.measured()).put("bound", kpi.bound())
          .put("status", kpi.status().name()).put("message", kpi.message());
    }
    return root;
  }

  /** The per-endpoint rows and the total row (when not null) under {@code stats} and {@code total}. */
  public static void statistics(ObjectNode root, List<EndpointStats> endpoints, EndpointStats total) {
    ArrayNode labels = root.putArray("percentiles");
    for (double percentile : Percentiles.REPORTED) {
      labels.add(percentileLabel(percentile));
    }
    ArrayNode rows = root.putArray("stats");
    endpoints.stream().sorted(Comparator.comparing(EndpointStats::name).thenComparing(EndpointStats::method))
        .forEach(stats -> rows.add(endpoint(stats)));
    if (total != null) {
      root.set("total", endpoint(total));
    }
  }

  /**
   * The history as column arrays: {@code t} (epoch s), users, rps, fps, p50, p95, p99 (ms), and
   * {@code percentiles}: false when the series has no response times per second at all (a merge of
   * shards, whose per-second percentiles cannot be added), so the page leaves that chart out.
   */
  public static void history(ObjectNode root, List<HistoryPoint> points) {
    ObjectNode history = root.putObject("history");
    history.put("percentiles", hasPercentiles(points));
    ArrayNode t = history.putArray("t");
    ArrayNode users = history.putArray("users");
    ArrayNode rps = history.putArray("rps");
    ArrayNode fps = history.putArray("fps");
    ArrayNode p50 = history.putArray("p50");
    ArrayNode p95 = history.putArray("p95");
    ArrayNode p99 = history.putArray("p99");
    for (HistoryPoint point : points) {
      t.add(point.epochMillis() / 1000.0);
      users.add(point.users());
      rps.add(round(point.rps()));
      fps.add(round(point.failuresPerSecond()));
      // An interval without a completed request has no response time: a gap, not a zero.
      boolean none = point.rps() == 0;
      addOrNull(p50, none, point.percentiles().at(50));
      addOrNull(p95, none, point.percentiles().at(95));
      addOrNull(p99, none, point.percentiles().at(99));
    }
  }

  /**
   * Whether a series has response times per second: false only when it has intervals with requests
   * and none of them has a median ({@code NaN}, unknown), as in a merge of shards. An interval without
   * requests has no response time either way, so it decides nothing.
   */
  static boolean hasPercentiles(List<HistoryPoint> points) {
    List<HistoryPoint> withRequests = points.stream().filter(point -> point.rps() > 0).toList();
    return withRequests.isEmpty() || withRequests.stream().anyMatch(point -> !Double.isNaN(point.percentiles().at(50)));
  }

  /** The failures table, most frequent first. */
  public static void failures(ObjectNode root, List<FailureStats> failures) {
    ArrayNode nodes = root.putArray("failures");
    for (FailureStats failure : failures) {
      nodes.addObject().put("method", failure.method()).put("name", failure.name()).put("error", failure.error())
          .put("occurrences", failure.occurrences())
          .put("first_seen", Instant.ofEpochMilli(failure.firstSeenEpochMillis()).toString())
          .put("last_seen", Instant.ofEpochMilli(failure.lastSeenEpochMillis()).toString());
    }
  }

  /**
   * The view as JSON text that is safe inside an HTML {@code <script>} element: {@code <}, {@code >},
   * {@code &} and the JavaScript line separators are written as {@code \\uXXXX} escapes, so no string
   * in it can close the element or open a comment.
   */
  public static String toScriptSafeJson(ObjectNode view) {
    try {
      return SCRIPT_SAFE.writeValueAsString(view);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the run view", e);
    }
  }

  /** The same as {@link #toScriptSafeJson}. */
  public static String toJson(ObjectNode view) {
    return toScriptSafeJson(view);
  }

  /** An empty JSON object from the view's mapper. */
  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  private static void addOrNull(ArrayNode array, boolean none, double value) {
    if (none || Double.isNaN(value)) {
      array.addNull();
    } else {
      array.add(round(value));
    }
  }

  private static ObjectNode endpoint(EndpointStats stats) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("method", stats.method());
    node.put("name", stats.name());
    node.put("count", stats.count());
    node.put("failures", stats.failures());
    node.put("error_rate", round(stats.errorRate()));
    node.put("rps", round(stats.rps()));
    node.put("current_rps", round(stats.currentRps()));
    node.put("current_fps", round(stats.currentFailuresPerSecond()));
    node.put("mean", round(stats.mean()));
    node.put("min", round(stats.min()));
    node.put("max", round(stats.max()));
    node.put("bytes_mean", round(stats.bytesMean()));
    ArrayNode p = node.putArray("p");
    for (double value : stats.percentiles().values()) {
      p.add(round(value));
    }
    return node;
  }

  private static String percentileLabel(double percentile) {
    return (percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile)) + "%";
  }

  /** Three decimals, as the view holds statistics. */
  public static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }

  /** Escapes the characters that could end a script element or a JavaScript string early. */
  private static final class ScriptSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    ScriptSafeEscapes() {
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
      ascii['\''] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }
}
