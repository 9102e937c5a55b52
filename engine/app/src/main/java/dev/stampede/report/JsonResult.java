package dev.stampede.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the machine-readable result of a run ({@code --json}), the file the KPI gate and
 * {@code stampede compare} read. Times are in milliseconds, rates per second.
 */
public final class JsonResult {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonResult() {}

  /** The result as a JSON tree. */
  public static ObjectNode toJson(Summary summary, List<ListenerDelivery> deliveries, Map<String, Long> taskErrors) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("run_id", summary.run().runId());
    root.put("started_at", summary.run().startedAt().toString());
    root.put("statistics_from", summary.statisticsFrom().toString());
    root.put("finished_at", summary.finishedAt().toString());
    root.put("duration_s", round(summary.duration().toNanos() / 1e9));
    root.put("users", summary.peakUsers());
    root.put("host", summary.run().host());
    root.put("scenario", summary.run().scenario());
    root.put("instance", summary.run().instance());
    ObjectNode tags = root.putObject("tags");
    summary.run().tags().forEach(tags::put);
    ObjectNode endpoints = root.putObject("endpoints");
    for (EndpointStats stats : summary.endpoints()) {
      endpoints.set(stats.key(), endpoint(stats));
    }
    root.set("total", endpoint(summary.total()));
    root.put("dropped_iterations", summary.droppedIterations());
    root.put("cancelled_at_stop", summary.cancelledAtStop());
    ArrayNode failures = root.putArray("failures");
    for (FailureStats failure : summary.failures()) {
      ObjectNode node = failures.addObject();
      node.put("method", failure.method());
      node.put("name", failure.name());
      node.put("error", failure.error());
      node.put("occurrences", failure.occurrences());
      node.put("first_seen", Instant.ofEpochMilli(failure.firstSeenEpochMillis()).toString());
      node.put("last_seen", Instant.ofEpochMilli(failure.lastSeenEpochMillis()).toString());
    }
    ObjectNode errors = root.putObject("task_errors");
    taskErrors.forEach(errors::put);
    ObjectNode listeners = root.putObject("listeners");
    for (ListenerDelivery delivery : deliveries) {
      ObjectNode node = listeners.putObject(delivery.name());
      node.put("delivered", delivery.delivered());
      node.put("dropped", delivery.dropped());
      node.put("failed", delivery.failed());
      ObjectNode details = node.putObject("details");
      delivery.report().details().forEach((key, value) -> details.putPOJO(key, value));
    }
    return root;
  }

  /** Writes the result to {@code file}, creating parent directories. */
  public static void write(Path file, Summary summary, List<ListenerDelivery> deliveries, Map<String, Long> taskErrors)
      throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    MAPPER.writeValue(file.toFile(), toJson(summary, deliveries, taskErrors));
  }

  private static ObjectNode endpoint(EndpointStats stats) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("method", stats.method());
    node.put("name", stats.name());
    node.put("count", stats.count());
    node.put("failures", stats.failures());
    node.put("error_rate", round(stats.errorRate()));
    node.put("rps", round(stats.rps()));
    node.put("mean", round(stats.mean()));
    node.put("min", round(stats.min()));
    node.put("max", round(stats.max()));
    double[] values = stats.percentiles().values();
    for (int i = 0; i < values.length; i++) {
      node.put(Percentiles.label(Percentiles.REPORTED[i]), round(values[i]));
    }
    node.put("bytes_mean", round(stats.bytesMean()));
    return node;
  }

  /** Three decimals: microsecond precision for milliseconds, and no float noise in files. */
  static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
