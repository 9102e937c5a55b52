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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the run's {@link ConfigSource} from, in increasing precedence: {@code --config FILE}
 * (properties, or YAML flattened to dotted keys), environment variables {@code STAMPEDE_*}
 * ({@code STAMPEDE_INFLUX_URL} is {@code influx.url}) and {@code --set key=value}. Keys match
 * case-insensitively, so {@code STAMPEDE_INFLUX_RETENTIONPOLICY} sets {@code influx.retentionPolicy}.
 */
final class Settings {

  private static final String ENV_PREFIX = "STAMPEDE_";

  private Settings() {}

  static ConfigSource resolve(Path configFile, Map<String, String> environment, List<String> sets,
      Set<String> envPrefixes) {
    Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (configFile != null) {
      values.putAll(readFile(configFile));
    }
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX)) {
        String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        if (envPrefixes.contains(prefix)) {
          values.put(key, value);
        }
      }
    });
    for (String set : sets) {
      int equals = set.indexOf('=');
      if (equals <= 0) {
        throw new ConfigException("--set " + set + " must be key=value");
      }
      values.put(set.substring(0, equals).trim(), set.substring(equals + 1).trim());
    }
    return new ConfigSource() {
      @Override
      public String get(String key) {
        return values.get(key);
      }

      @Override
      public Set<String> keys() {
        return values.keySet();
      }
    };
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
