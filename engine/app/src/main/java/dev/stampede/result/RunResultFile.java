package dev.stampede.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.Measured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-readable result of one run, as written by {@code stampede run --json FILE} and read
 * back by the KPI gate, {@code compare} and {@code trend}.
 *
 * <p>Shape (times in milliseconds): {@code {"run_id", "started_at", "duration_s", "users",
 * "endpoints": {"GET /x": {"method", "name", "count", "failures", "rps", "mean", "min", "max",
 * "p50", "p66", "p75", "p80", "p90", "p95", "p98", "p99", "p999", "p9999", "p100", "bytes_mean"}},
 * "total": {same fields}, "dropped_iterations", "listeners": {name: {"delivered", "dropped",
 * "failed"}}}}. {@code dropped_iterations} and {@code listeners} may be absent.
 *
 * <p>Besides {@link #read(Path)}, a result can be built in memory from the engine's own statistics
 * ({@link #fromSummary(Summary)}, {@link #fromSnapshot(RunInfo, Snapshot)}), which is how the
 * abort-on-fail check looks at a run that is still going.
 *
 * @param runId the run's id
 * @param startedAt when the load started
 * @param durationSeconds how long the load ran, in seconds
 * @param users the most users that ran at once
 * @param endpoints per-endpoint statistics keyed {@code "GET /x"}, in key order
 * @param total the statistics of all endpoints together
 * @param droppedIterations open model: iterations that could not start; 0 when absent
 * @param listeners per listener, what it delivered, dropped and failed; empty when absent
 */
public record RunResultFile(
    String runId,
    Instant startedAt,
    double durationSeconds,
    int users,
    Map<String, EndpointResult> endpoints,
    EndpointResult total,
    long droppedIterations,
    Map<String, ListenerCounts> listeners) {

  /** The key of the row that aggregates every endpoint, in KPI files and tables. */
  public static final String TOTAL = Kpi.TOTAL;

  public RunResultFile {
    endpoints = Collections.unmodifiableMap(new TreeMap<>(endpoints));
    listeners = Collections.unmodifiableMap(new TreeMap<>(listeners));
  }

  /**
   * Statistics of one endpoint, or of all together. Times in milliseconds; a statistic that the
   * file left empty (no request) is {@code NaN}.
   *
   * @param method the request method, empty for the total
   * @param name the grouped endpoint name
   * @param count requests, failures included
   * @param failures failed requests
   * @param rps requests per second over the run
   * @param mean mean response time
   * @param min fastest response time
   * @param max slowest response time
   * @param percentiles response times at {@link Percentiles#REPORTED}
   * @param bytesMean mean response size in bytes
   */
  public record EndpointResult(
      String method,
      String name,
      long count,
      long failures,
      double rps,
      double mean,
      double min,
      double max,
      Percentiles percentiles,
      double bytesMean) implements Measured {

    /** {@code "GET /x"}, or the bare name when there is no method. */
    public String key() {
      return method.isEmpty() ? name : method + " " + name;
    }

    /** Failures as a percentage of requests (0 to 100), 0 when there were no requests. */
    public double errorRate() {
      return count == 0 ? 0 : 100.0 * failures / count;
    }

    /** The response time (ms) at a percentile of {@link Percentiles#REPORTED}. */
    public double percentile(double percentile) {
      return percentiles.at(percentile);
    }

    /** The same statistics from the engine's own record. */
    public static EndpointResult of(EndpointStats stats) {
      return new EndpointResult(stats.method(), stats.name(), stats.count(), stats.failures(),
          stats.rps(), stats.mean(), stats.min(), stats.max(), stats.percentiles(),
          stats.bytesMean());
    }
  }

  /**
   * What one listener did with the results it was given.
   *
   * @param delivered results the backend accepted
   * @param dropped results dropped before delivery (queue overflow)
   * @param failed results the backend did not accept
   */
  public record ListenerCounts(long delivered, long dropped, long failed) {}

  /** The result of a finished run, from the engine's summary. */
  public static RunResultFile fromSummary(Summary summary) {
    return new RunResultFile(summary.run().runId(), summary.run().startedAt(),
        summary.duration().toNanos() / 1e9, summary.peakUsers(), byKey(summary.endpoints()),
        EndpointResult.of(summary.total()), summary.droppedIterations(), Map.of());
  }

  /**
   * The statistics of a run still going, from one tick's snapshot: what the abort-on-fail check
   * evaluates while the load runs.
   */
  public static RunResultFile fromSnapshot(RunInfo run, Snapshot snapshot) {
    return new RunResultFile(run.runId(), run.startedAt(), snapshot.elapsedSeconds(),
        snapshot.users(), byKey(snapshot.endpoints()), EndpointResult.of(snapshot.total()), 0,
        Map.of());
  }

  /**
   * The statistics of a run still going, from a tick's snapshot alone (run id empty, start time
   * derived from the snapshot): for tick handlers that do not hold the run's {@link RunInfo}.
   */
  public static RunResultFile fromSnapshot(Snapshot snapshot) {
    Instant startedAt = Instant.ofEpochMilli(
        snapshot.epochMillis() - Math.round(snapshot.elapsedSeconds() * 1000));
    return new RunResultFile("", startedAt, snapshot.elapsedSeconds(), snapshot.users(),
        byKey(snapshot.endpoints()), EndpointResult.of(snapshot.total()), 0, Map.of());
  }

  private static Map<String, EndpointResult> byKey(List<EndpointStats> stats) {
    Map<String, EndpointResult> map = new LinkedHashMap<>();
    for (EndpointStats s : stats) {
      map.put(s.key(), EndpointResult.of(s));
    }
    return map;
  }

  /**
   * Reads a result file written by {@code --json}.
   *
   * @throws ConfigException naming the file and every problem with it, on one line
   */
  public static RunResultFile read(Path file) {
    JsonNode root = Json.readTree(file, "result file", false);
    Reader reader = new Reader();
    RunResultFile result = reader.run(root);
    if (!reader.problems.isEmpty()) {
      throw ConfigFiles.problems("result file " + file + ": ", reader.problems);
    }
    return result;
  }

  /** Writes this result in the {@code --json} shape (used by {@code compare --update-baseline}). */
  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Json.JSON.writeValue(file.toFile(), toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write result file " + file, e);
    }
  }

  /** This result as a JSON tree in the {@code --json} shape. */
  public ObjectNode toJson() {
    ObjectNode root = Json.JSON.createObjectNode();
    root.put("run_id", runId);
    root.put("started_at", startedAt.toString());
    root.put("duration_s", durationSeconds);
    root.put("users", users);
    ObjectNode eps = root.putObject("endpoints");
    endpoints.forEach((key, e) -> eps.set(key, endpointJson(e)));
    root.set("total", endpointJson(total));
    root.put("dropped_iterations", droppedIterations);
    ObjectNode ls = root.putObject("listeners");
    listeners.forEach((name, c) -> ls.putObject(name)
        .put("delivered", c.delivered()).put("dropped", c.dropped()).put("failed", c.failed()));
    return root;
  }

  private static ObjectNode endpointJson(EndpointResult e) {
    ObjectNode n = Json.JSON.createObjectNode();
    n.put("method", e.method()).put("name", e.name()).put("count", e.count())
        .put("failures", e.failures());
    number(n, "rps", e.rps());
    number(n, "mean", e.mean());
    number(n, "min", e.min());
    number(n, "max", e.max());
    double[] values = e.percentiles().values();
    for (int i = 0; i < values.length; i++) {
      number(n, Percentiles.label(Percentiles.REPORTED[i]), values[i]);
    }
    number(n, "bytes_mean", e.bytesMean());
    return n;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  /** Walks the tree, collecting every problem instead of stopping at the first. */
  private static final class Reader {
    final List<String> problems = new ArrayList<>();

    RunResultFile run(JsonNode root) {
      if (!root.isObject()) {
        problems.add("the top level must be a JSON object but was " + ConfigFiles.describe(root));
        return null;
      }
      String runId = text(root, "run_id", "run_id");
      Instant startedAt = instant(root, "started_at");
      double duration = decimal(root, "duration_s", "duration_s", false);
      long users = integer(root, "users", "users");
      Map<String, EndpointResult> endpoints = new LinkedHashMap<>();
      JsonNode eps = root.get("endpoints");
      if (eps == null || !eps.isObject()) {
        problems.add("endpoints must be an object keyed \"METHOD name\" but was " + ConfigFiles.describe(eps));
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = eps.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          EndpointResult e = endpoint(entry.getValue(), "endpoints.\"" + entry.getKey() + "\"");
          if (e != null) {
            endpoints.put(entry.getKey(), e);
          }
        }
      }
      EndpointResult total = endpoint(root.get("total"), "total");
      long dropped = root.has("dropped_iterations")
          ? integer(root, "dropped_iterations", "dropped_iterations") : 0;
      Map<String, ListenerCounts> listeners = new LinkedHashMap<>();
      JsonNode ls = root.get("listeners");
      if (ls != null && !ls.isNull()) {
        if (!ls.isObject()) {
          problems.add("listeners must be an object but was " + ConfigFiles.describe(ls));
        } else {
          ls.fields().forEachRemaining(entry -> {
            String at = "listeners." + entry.getKey();
            JsonNode l = entry.getValue();
            if (!l.isObject()) {
              problems.add(at + " must be an object but was " + ConfigFiles.describe(l));
              return;
            }
            listeners.put(entry.getKey(), new ListenerCounts(integer(l, "delivered", at + ".delivered"),
                integer(l, "dropped", at + ".dropped"), integer(l, "failed", at + ".failed")));
          });
        }
      }
      if (!problems.isEmpty()) {
        return null;
      }
      return new RunResultFile(runId, startedAt, duration, (int) users, endpoints, total, dropped,
          listeners);
    }

    EndpointResult endpoint(JsonNode node, String at) {
      if (node == null || !node.isObject()) {
        problems.add(at + " must be an object of statistics but was " + ConfigFiles.describe(node));
        return null;
      }
      int before = problems.size();
      String method = text(node, "method", at + ".method");
      String name = text(node, "name", at + ".name");
      long count = integer(node, "count", at + ".count");
      long failures = integer(node, "failures", at + ".failures");
      double rps = decimal(node, "rps", at + ".rps", false);
      double mean = decimal(node, "mean", at + ".mean", true);
      double min = decimal(node, "min", at + ".min", true);
      double max = decimal(node, "max", at + ".max", true);
      double[] values = new double[Percentiles.REPORTED.length];
      for (int i = 0; i < values.length; i++) {
        String label = Percentiles.label(Percentiles.REPORTED[i]);
        values[i] = decimal(node, label, at + "." + label, true);
      }
      double bytesMean = decimal(node, "bytes_mean", at + ".bytes_mean", true);
      if (failures > count && problems.size() == before) {
        problems.add(at + ".failures must be <= count (" + count + ") but was " + failures);
      }
      if (problems.size() > before) {
        return null;
      }
      return new EndpointResult(method, name, count, failures, rps, mean, min, max,
          new Percentiles(values), bytesMean);
    }

    String text(JsonNode node, String field, String at) {
      JsonNode v = node.get(field);
      if (v == null || !v.isTextual()) {
        problems.add(at + " must be a string but was " + ConfigFiles.describe(v));
        return "";
      }
      return v.asText();
    }

    Instant instant(JsonNode node, String field) {
      String text = text(node, field, field);
      if (text.isEmpty()) {
        return Instant.EPOCH;
      }
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        problems.add(field + " must be an ISO-8601 time such as 2026-11-23T09:24:28Z but was \""
            + text + "\"");
        return Instant.EPOCH;
      }
    }

    long integer(JsonNode node, String field, String at) {
      JsonNode v = node.get(field);
      if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        problems.add(at + " must be a whole number >= 0 but was " + ConfigFiles.describe(v));
        return 0;
      }
      return v.asLong();
    }

    /** A number >= 0; {@code null} or {@code "NaN"} reads as NaN where {@code emptyAllowed}. */
    double decimal(JsonNode node, String field, String at, boolean emptyAllowed) {
      JsonNode v = node.get(field);
      if (emptyAllowed && v != null && (v.isNull() || (v.isTextual() && v.asText().equals("NaN")))) {
        return Double.NaN;
      }
      if (v == null || !v.isNumber() || v.asDouble() < 0) {
        problems.add(at + " must be a number >= 0 but was " + ConfigFiles.describe(v));
        return 0;
      }
      return v.asDouble();
    }
  }
}
