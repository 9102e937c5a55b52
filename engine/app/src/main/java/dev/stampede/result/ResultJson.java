package dev.stampede.result;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.stampede.Percentiles;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one reader and the one writer of {@link RunResultFile}, the {@code --json} schema.
 *
 * <p>Writing is Jackson over the records. Reading checks the tree first, so that a bad file is
 * reported with every problem at once, each naming its path ({@code endpoints."GET /x".count must
 * be a whole number >= 0 but was the text "many"}), then binds the records.
 */
public final class ResultJson {

  /** Strict JSON: a key given twice is an error; statistics without requests written as null. */
  static final ObjectMapper MAPPER = ConfigFiles.strict(new JsonFactory())
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new SimpleModule("stampede-result")
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addDeserializer(Instant.class, new InstantDeserializer())
          .addSerializer(Double.class, new NanAsNull())
          .addSerializer(double.class, new NanAsNull()));

  private ResultJson() {}

  /**
   * Reads a result file written by {@code --json}, by any version of Stampede.
   *
   * @throws ConfigException naming the file and every problem with it, on one line
   */
  public static RunResultFile read(Path file) {
    return bind(ConfigFiles.readTree(file, "result file", MAPPER, "JSON"), "result file " + file);
  }

  /**
   * Reads a result held in memory (a results store's object), {@code source} naming it in messages
   * ({@code result s3://bucket/run/shard-0.json}).
   *
   * @throws ConfigException naming {@code source} and every problem with it, on one line
   */
  public static RunResultFile read(byte[] json, String source) {
    return bind(ConfigFiles.readTree(json, source, MAPPER, "JSON"), source);
  }

  private static RunResultFile bind(JsonNode root, String source) {
    List<String> problems = new Checker().run(root);
    if (!problems.isEmpty()) {
      throw ConfigFiles.problems(source + ": ", problems);
    }
    try {
      return MAPPER.treeToValue(root, RunResultFile.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + ConfigFiles.oneLine(e.getOriginalMessage()));
    }
  }

  /** Writes {@code result} to {@code file}, creating parent directories. */
  public static void write(Path file, RunResultFile result) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      MAPPER.writeValue(file.toFile(), result);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write result file " + file, e);
    }
  }

  /** {@code result} as the bytes {@link #write} puts in a file (UTF-8 JSON), for a results store. */
  public static byte[] toBytes(RunResultFile result) {
    try {
      return MAPPER.writeValueAsBytes(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result record always serializes", e);
    }
  }

  /** {@code result} as the text {@link #write} puts in a file. */
  public static String toJson(RunResultFile result) {
    try {
      return MAPPER.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result record always serializes", e);
    }
  }

  /** Times as ISO-8601 text, with any offset ({@code 2026-11-23T10:15:00+01:00} too). */
  private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    InstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return text == null ? null : OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 time");
      }
    }
  }

  /** A statistic without requests (NaN) as {@code null}: JSON has no NaN. */
  private static final class NanAsNull extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    NanAsNull() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (value.isNaN() || value.isInfinite()) {
        gen.writeNull();
      } else {
        gen.writeNumber(value);
      }
    }
  }

  /**
   * Walks the tree, collecting every problem instead of stopping at the first, and turns empty
   * statistics ({@code null}, {@code "NaN"}) into NaN for the binding.
   */
  private static final class Checker {
    final List<String> problems = new ArrayList<>();

    List<String> run(JsonNode root) {
      if (!root.isObject()) {
        problems.add("the top level must be a JSON object but was " + ConfigFiles.describe(root));
        return problems;
      }
      if (root.has("format_version")) {
        integer(root, "format_version", "format_version");
      }
      text(root, "run_id", "run_id");
      instant(root, "started_at", true);
      instant(root, "statistics_from", false);
      decimal((ObjectNode) root, "duration_s", "duration_s", false);
      integer(root, "users", "users");
      JsonNode eps = root.get("endpoints");
      if (eps == null || !eps.isObject()) {
        problems.add("endpoints must be an object keyed \"METHOD name\" but was " + ConfigFiles.describe(eps));
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = eps.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          endpoint(entry.getValue(), "endpoints.\"" + entry.getKey() + "\"");
        }
      }
      endpoint(root.get("total"), "total");
      for (String count : List.of("dropped_iterations", "cancelled_at_stop")) {
        if (root.has(count)) {
          integer(root, count, count);
        }
      }
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
            integer(l, "delivered", at + ".delivered");
            integer(l, "dropped", at + ".dropped");
            integer(l, "failed", at + ".failed");
          });
        }
      }
      JsonNode history = root.get("history");
      if (history != null && !history.isNull()) {
        if (!history.isArray()) {
          problems.add("history must be an array but was " + ConfigFiles.describe(history));
        } else {
          for (int i = 0; i < history.size(); i++) {
            historyRow(history.get(i), "history[" + i + "]");
          }
        }
      }
      JsonNode shard = root.get("shard");
      if (shard != null && !shard.isNull()) {
        if (!shard.isObject()) {
          problems.add("shard must be an object but was " + ConfigFiles.describe(shard));
        } else {
          integer(shard, "index", "shard.index");
          integer(shard, "count", "shard.count");
        }
      }
      return problems;
    }

    void historyRow(JsonNode node, String at) {
      if (node == null || !node.isObject()) {
        problems.add(at + " must be an object but was " + ConfigFiles.describe(node));
        return;
      }
      ObjectNode o = (ObjectNode) node;
      for (String field : List.of("epoch_ms", "users", "total_count", "total_failures")) {
        integer(o, field, at + "." + field);
      }
      for (String field : List.of("seconds", "rps", "failures_per_second")) {
        decimal(o, field, at + "." + field, false);
      }
      for (String field : List.of("p50", "p95", "p99")) {
        decimal(o, field, at + "." + field, true);
      }
    }

    void endpoint(JsonNode node, String at) {
      if (node == null || !node.isObject()) {
        problems.add(at + " must be an object of statistics but was " + ConfigFiles.describe(node));
        return;
      }
      ObjectNode o = (ObjectNode) node;
      int before = problems.size();
      text(o, "method", at + ".method");
      text(o, "name", at + ".name");
      long count = integer(o, "count", at + ".count");
      long failures = integer(o, "failures", at + ".failures");
      decimal(o, "rps", at + ".rps", false);
      for (String field : List.of("mean", "min", "max", "bytes_mean")) {
        decimal(o, field, at + "." + field, true);
      }
      for (double p : Percentiles.REPORTED) {
        String label = Percentiles.label(p);
        decimal(o, label, at + "." + label, true);
      }
      if (o.hasNonNull("histogram")) {
        text(o, "histogram", at + ".histogram");
        integer(o, "bytes_total", at + ".bytes_total");
        integer(o, "response_time_sum_ns", at + ".response_time_sum_ns");
      }
      if (failures > count && problems.size() == before) {
        problems.add(at + ".failures must be <= count (" + count + ") but was " + failures);
      }
    }

    void text(JsonNode node, String field, String at) {
      JsonNode v = node.get(field);
      if (v == null || !v.isTextual()) {
        problems.add(at + " must be a string but was " + ConfigFiles.describe(v));
      }
    }

    void instant(JsonNode node, String field, boolean required) {
      JsonNode v = node.get(field);
      if (v == null && !required) {
        return;
      }
      if (v == null || !v.isTextual()) {
        problems.add(field + " must be a string but was " + ConfigFiles.describe(v));
        return;
      }
      try {
        OffsetDateTime.parse(v.asText());
      } catch (DateTimeParseException e) {
        problems.add(field + " must be an ISO-8601 time such as 2026-11-23T09:24:28Z but was \""
            + v.asText() + "\"");
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

    /** A number >= 0; {@code null} or {@code "NaN"} becomes NaN where {@code emptyAllowed}. */
    void decimal(ObjectNode node, String field, String at, boolean emptyAllowed) {
      JsonNode v = node.get(field);
      if (emptyAllowed && v != null && (v.isNull() || (v.isTextual() && v.asText().equals("NaN")))) {
        node.set(field, DoubleNode.valueOf(Double.NaN));
        return;
      }
      if (v == null || !v.isNumber() || v.asDouble() < 0) {
        problems.add(at + " must be a number >= 0 but was " + ConfigFiles.describe(v));
      }
    }
  }
}
