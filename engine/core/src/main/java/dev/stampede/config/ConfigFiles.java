package dev.stampede.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading JSON (and, with a mapper the caller supplies, YAML) files as trees, with one-line errors
 * that name the file, the line and the column. The core reads JSON only; YAML comes from
 * {@code jackson-dataformat-yaml}, which the application and the listeners that need it bring.
 */
public final class ConfigFiles {

  private ConfigFiles() {}

  /** A mapper over {@code factory} that reports a key given twice instead of keeping the last. */
  public static ObjectMapper strict(JsonFactory factory) {
    return new ObjectMapper(factory).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * Reads {@code file} as a tree with {@code mapper}.
   *
   * @param what what the file is, for messages ({@code "KPI file"}, {@code "result file"})
   * @param format the format's name for messages ({@code "JSON"}, {@code "YAML"})
   * @throws ConfigException when the file is missing, unreadable, empty or not well-formed
   */
  public static JsonNode readTree(Path file, String what, ObjectMapper mapper, String format) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(what + " " + file + " cannot be read: " + oneLine(e.toString()));
    }
    return readTree(bytes, what + " " + file, mapper, format);
  }

  /**
   * Parses {@code bytes} as {@link #readTree(Path, String, ObjectMapper, String)} parses a file's,
   * {@code source} naming them in messages ({@code result file s3://bucket/run/shard-0.json}).
   *
   * @throws ConfigException when they are not valid or empty
   */
  public static JsonNode readTree(byte[] bytes, String source, ObjectMapper mapper, String format) {
    JsonNode tree;
    try {
      tree = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(source + " is not valid " + format + where + ": " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(source + " cannot be read: " + oneLine(e.toString()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(source + " is empty");
    }
    return tree;
  }


  /** Whether {@code file} is read as JSON rather than YAML: its name ends in {@code .json}. */
  public static boolean isJson(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** The problems, the first prefixed with {@code prefix}: one exception, one line. */
  public static ConfigException problems(String prefix, List<String> problems) {
    List<String> all = new ArrayList<>(problems);
    all.set(0, prefix + all.get(0));
    return new ConfigException(all);
  }

  /** Collapses line breaks and runs of blanks so that a message stays on one line. */
  public static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }

  /** The JSON type of a node, for messages: {@code a string}, {@code a list}. */
  public static String describe(JsonNode node) {
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
