package dev.stampede.kpi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reading the JSON and YAML files of the KPI gate, with one-line errors. */
final class Json {

  /** Strict JSON: a key given twice is an error, not a silent overwrite. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT);

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  /**
   * Reads {@code file} as a tree: YAML unless its name ends in {@code .json}.
   *
   * @param what what the file is, for messages ({@code "KPI file"}, {@code "result file"})
   * @throws ConfigException when the file is missing, unreadable, empty or not well-formed
   */
  static JsonNode readTree(Path file, String what, boolean yamlAllowed) {
    boolean yaml = yamlAllowed
        && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    String format = yaml ? "YAML" : "JSON";
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(what + " " + file + " cannot be read: " + oneLine(e.toString()));
    }
    JsonNode tree;
    try {
      tree = (yaml ? YAML : JSON).readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(
          what + " " + file + " is not valid " + format + where + ": " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(what + " " + file + " cannot be read: " + oneLine(e.toString()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(what + " " + file + " is empty");
    }
    return tree;
  }

  /** The problems, the first prefixed with {@code prefix}: one exception, one line. */
  static ConfigException problems(String prefix, List<String> problems) {
    List<String> all = new ArrayList<>(problems);
    all.set(0, prefix + all.get(0));
    return new ConfigException(all);
  }

  /** Collapses line breaks and runs of blanks so that a message stays on one line. */
  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }

  /** The JSON type of a node, for messages: {@code a string}, {@code a list}. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> node.isEmpty() ? "an empty mapping" : "a mapping";
      case STRING -> "the text \"" + node.asText() + "\"";
      case BOOLEAN -> "the boolean " + node.asText();
      case NULL -> "empty";
      case NUMBER -> "the number " + node.asText();
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
