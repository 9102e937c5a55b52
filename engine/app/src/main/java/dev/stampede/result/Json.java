package dev.stampede.result;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import java.nio.file.Path;

/** Reading the JSON and YAML files of the KPI gate, with one-line errors ({@link ConfigFiles}). */
public final class Json {

  /** Strict JSON: a key given twice is an error, not a silent overwrite. */
  public static final ObjectMapper JSON = ConfigFiles.strict(new JsonFactory())
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** YAML, with the same strictness. */
  public static final ObjectMapper YAML = ConfigFiles.strict(new YAMLFactory());

  private Json() {}

  /**
   * Reads {@code file} as a tree: YAML unless its name ends in {@code .json} or YAML is not allowed.
   *
   * @param what what the file is, for messages ({@code "KPI file"}, {@code "result file"})
   * @throws ConfigException when the file is missing, unreadable, empty or not well-formed
   */
  public static JsonNode readTree(Path file, String what, boolean yamlAllowed) {
    boolean yaml = yamlAllowed && !ConfigFiles.isJson(file);
    return ConfigFiles.readTree(file, what, yaml ? YAML : JSON, yaml ? "YAML" : "JSON");
  }
}
