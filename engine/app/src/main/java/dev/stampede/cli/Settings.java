package dev.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the run's {@link ConfigSource} from, in increasing precedence: {@code --config FILE}
 * (properties, or YAML flattened to dotted keys), environment variables {@code STAMPEDE_*} and
 * {@code --set key=value}. Keys are kebab case ({@code influx.batch-size}); every key is settable
 * from the environment as {@link ConfigSource#environmentVariable} names it
 * ({@code STAMPEDE_INFLUX_BATCH_SIZE}), and spellings that differ only in case, separators or camel
 * case are one key ({@link ConfigSource#canonical}). A key from the environment keeps the variable's
 * name as its spelling, so an unknown one is reported as {@code STAMPEDE_INFLUX_BATCH_SIZEE}.
 */
final class Settings {

  private Settings() {}

  /**
   * @param envPrefixes the key prefixes ({@code influx}, {@code listener}, ...) whose
   *     {@code STAMPEDE_PREFIX_*} variables are settings; other {@code STAMPEDE_*} variables
   *     ({@code STAMPEDE_DEBUG}) are not
   */
  static ConfigSource resolve(Path configFile, Map<String, String> environment, List<String> sets,
      Set<String> envPrefixes) {
    Map<String, String> values = new LinkedHashMap<>();
    if (configFile != null) {
      readFile(configFile).forEach((key, value) -> override(values, key, value));
    }
    // Kept under the variable's name, so that a message about the key names what the user set.
    ConfigSource.settingsInEnvironment(environment, envPrefixes).forEach((name, value) -> override(values, name, value));
    for (String set : sets) {
      int equals = set.indexOf('=');
      if (equals <= 0) {
        throw new ConfigException("--set " + set + " must be key=value");
      }
      override(values, set.substring(0, equals).trim(), set.substring(equals + 1).trim());
    }
    return ConfigSource.of(values);
  }

  /** Puts {@code key} last, removing any earlier spelling of it, so that the later source wins. */
  private static void override(Map<String, String> values, String key, String value) {
    String canonical = ConfigSource.canonical(key);
    values.keySet().removeIf(existing -> ConfigSource.canonical(existing).equals(canonical));
    values.put(key, value);
  }

  static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config file " + file + " does not exist");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> values = new TreeMap<>();
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
        JsonNode root = new ObjectMapper(name.endsWith(".json") ? null : new YAMLFactory()).readTree(file.toFile());
        if (root != null && !root.isMissingNode() && !root.isNull()) {
          if (!root.isObject()) {
            throw new ConfigException("--config file " + file + " must hold a mapping of keys to values");
          }
          flatten("", root, values, file);
        }
      } else {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
        properties.forEach((key, value) -> values.put(key.toString().trim(), value.toString().trim()));
      }
    } catch (IOException e) {
      throw new ConfigException("--config file " + file + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return values;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> values, Path file) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key, value, values, file);
      } else if (value.isArray()) {
        StringBuilder joined = new StringBuilder();
        for (JsonNode item : value) {
          joined.append(joined.isEmpty() ? "" : ",").append(item.asText());
        }
        values.put(key, joined.toString());
      } else if (!value.isNull()) {
        values.put(key, value.asText());
      }
    }
  }
}
