package dev.stampede.merge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.engine.RunOutcome;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.RunHistograms;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The {@code --json} result ({@link ResultJson}'s schema) with what makes it mergeable: a {@code format_version}, the
 * {@code shard} it is, and for every endpoint and the total the whole run's HdrHistogram and raw
 * counters, so that {@code stampede merge} adds shards exactly.
 *
 * <p>Added fields: {@code "format_version": 2}; {@code "shard": {"index", "count", "start_at",
 * "start_skew_ms"}} (the last two {@code null} without {@code --start-at}); per endpoint and in
 * {@code total}: {@code "histogram"} (response times in microseconds, 3 significant digits,
 * HdrHistogram's compressed encoding in base64), {@code "bytes_total"} and
 * {@code "response_time_sum_ns"}. Version 1 (no {@code format_version}) had none of them; such
 * files still load for the KPI gate, compare and trend, but cannot be merged. {@link ResultJson#read}
 * ignores the added fields, so a shard's file is also an ordinary result.
 */
public final class ShardResultJson {

  /** The version of the result format this build writes. */
  public static final int FORMAT_VERSION = 2;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ShardResultJson() {}

  /** The whole result of a run as a JSON tree. */
  public static ObjectNode toJson(RunOutcome outcome, ShardInfo shard) {
    ObjectNode root;
    try {
      root = (ObjectNode) MAPPER.readTree(ResultJson.toJson(
          RunResultFile.fromSummary(outcome.summary(), outcome.deliveries(), outcome.taskErrors())));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the result did not read back as JSON", e);
    }
    ObjectNode versioned = MAPPER.createObjectNode();
    versioned.put("format_version", FORMAT_VERSION);
    versioned.setAll(root);
    ObjectNode shardNode = versioned.putObject("shard");
    shardNode.put("index", shard.shard().index());
    shardNode.put("count", shard.shard().count());
    if (shard.startAt() == null) {
      shardNode.putNull("start_at");
    } else {
      shardNode.put("start_at", shard.startAt().toString());
    }
    if (shard.startSkew() == null) {
      shardNode.putNull("start_skew_ms");
    } else {
      shardNode.put("start_skew_ms", shard.startSkew().toNanos() / 1e6);
    }
    RunHistograms histograms = outcome.histograms();
    if (histograms.present()) {
      ObjectNode endpoints = (ObjectNode) versioned.get("endpoints");
      for (EndpointHistogram e : histograms.endpoints()) {
        if (endpoints.get(e.key()) instanceof ObjectNode node) {
          addRaw(node, e);
        }
      }
      addRaw((ObjectNode) versioned.get("total"), histograms.total());
    }
    return versioned;
  }

  /** Writes the result to {@code file}, creating parent directories. */
  public static void write(Path file, RunOutcome outcome, ShardInfo shard) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    MAPPER.writeValue(file.toFile(), toJson(outcome, shard));
  }

  /** The result as bytes (UTF-8 JSON), for a results store. */
  public static byte[] toBytes(RunOutcome outcome, ShardInfo shard) throws IOException {
    return MAPPER.writeValueAsBytes(toJson(outcome, shard));
  }

  private static void addRaw(ObjectNode node, EndpointHistogram e) {
    node.put("histogram", encode(e.micros()));
    node.put("bytes_total", e.bytes());
    node.put("response_time_sum_ns", e.responseTimeSumNanos());
  }

  /** HdrHistogram's compressed encoding, in base64. */
  public static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    byte[] bytes = new byte[length];
    buffer.flip();
    buffer.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes {@link #encode}'s text.
   *
   * @throws IllegalArgumentException when it is not such a histogram
   */
  public static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("not a compressed HdrHistogram in base64: " + e.getMessage(), e);
    }
  }
}
