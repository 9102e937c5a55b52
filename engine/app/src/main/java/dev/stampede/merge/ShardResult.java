package dev.stampede.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.FailureStats;
import dev.stampede.Shard;
import dev.stampede.config.ConfigException;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.RunHistograms;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard's result as {@code stampede merge} reads it back from a {@code --json} file of format
 * version 2 ({@link ShardResultJson}).
 *
 * @param source where it was read from, for messages
 * @param runId the run's id
 * @param shard which shard it is
 * @param instance the load generator's name
 * @param host the target
 * @param scenario the scenario's name
 * @param tags the run's tags
 * @param startedAt when the run began (before any scheduled wait)
 * @param statisticsFrom when its statistics began
 * @param finishedAt when its last user stopped
 * @param startAt the scheduled start instant, or null
 * @param startSkew how late its load began against {@code startAt}, or null
 * @param users the most users it ran at once
 * @param droppedIterations open model: iterations it could not start
 * @param histograms its mergeable statistics
 * @param failures its failures table
 * @param taskErrors exceptions out of its tasks
 */
public record ShardResult(
    String source,
    String runId,
    Shard shard,
    String instance,
    String host,
    String scenario,
    Map<String, String> tags,
    Instant startedAt,
    Instant statisticsFrom,
    Instant finishedAt,
    Instant startAt,
    Duration startSkew,
    int users,
    long droppedIterations,
    RunHistograms histograms,
    List<FailureStats> failures,
    Map<String, Long> taskErrors) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Reads a shard's result.
   *
   * @throws ConfigException naming {@code source} and what is wrong, e.g. a result written before
   *     histograms (format version 1), which cannot be merged exactly
   */
  public static ShardResult read(byte[] json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ConfigException("shard result " + source + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("shard result " + source + " must be a JSON object");
    }
    int version = root.path("format_version").asInt(1);
    if (version < ShardResultJson.FORMAT_VERSION || !root.path("total").hasNonNull("histogram")) {
      throw new ConfigException("shard result " + source + " has no histograms (format version " + version
          + "; merging needs version " + ShardResultJson.FORMAT_VERSION + ", written by --json of this Stampede):"
          + " percentiles cannot be merged without them");
    }
    try {
      JsonNode shardNode = root.path("shard");
      Shard shard = new Shard(shardNode.path("index").asInt(), shardNode.path("count").asInt(1));
      Map<String, String> tags = new TreeMap<>();
      root.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
      List<EndpointHistogram> endpoints = new ArrayList<>();
      root.path("endpoints").fields().forEachRemaining(e -> endpoints.add(endpoint(e.getValue())));
      List<FailureStats> failures = new ArrayList<>();
      for (JsonNode f : root.path("failures")) {
        failures.add(new FailureStats(f.path("method").asText(), f.path("name").asText(), f.path("error").asText(),
            f.path("occurrences").asLong(), instant(f.path("first_seen")).toEpochMilli(),
            instant(f.path("last_seen")).toEpochMilli()));
      }
      Map<String, Long> taskErrors = new LinkedHashMap<>();
      root.path("task_errors").fields().forEachRemaining(e -> taskErrors.put(e.getKey(), e.getValue().asLong()));
      JsonNode skew = shardNode.path("start_skew_ms");
      return new ShardResult(source, text(root, "run_id"), shard, text(root, "instance"), text(root, "host"),
          text(root, "scenario"), tags, instant(root.path("started_at")), instant(root.path("statistics_from")),
          instant(root.path("finished_at")),
          shardNode.hasNonNull("start_at") ? instant(shardNode.path("start_at")) : null,
          skew.isNumber() ? Duration.ofNanos(Math.round(skew.asDouble() * 1e6)) : null,
          root.path("users").asInt(), root.path("dropped_iterations").asLong(),
          new RunHistograms(endpoints, endpoint(root.path("total"))), failures, taskErrors);
    } catch (RuntimeException e) {
      throw new ConfigException("shard result " + source + " cannot be read: " + e.getMessage());
    }
  }

  private static EndpointHistogram endpoint(JsonNode node) {
    return new EndpointHistogram(node.path("method").asText(), node.path("name").asText(),
        ShardResultJson.decode(node.path("histogram").asText()), node.path("count").asLong(),
        node.path("failures").asLong(), node.path("bytes_total").asLong(), node.path("response_time_sum_ns").asLong());
  }

  private static String text(JsonNode root, String field) {
    return root.path(field).asText("");
  }

  private static Instant instant(JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("a time must be an RFC 3339 string but was " + node);
    }
    return OffsetDateTime.parse(node.asText()).toInstant();
  }
}
