package dev.stampede.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where configuration values come from: {@code --config FILE}, environment variables and
 * {@code --set key=value}, the later overriding the earlier. Keys are full, e.g.
 * {@code influx.batch-size}.
 *
 * <p>Keys are written in kebab case ({@code prometheus.remote-write.url}). Every spelling of a key
 * that differs only in case, in {@code -}, {@code _} or {@code .} between words, or in camel case
 * means the same key ({@link #canonical}): that is what makes every key settable from the
 * environment, {@code STAMPEDE_INFLUX_BATCH_SIZE} for {@code influx.batch-size}, and keeps the
 * earlier camel-case spellings ({@code influx.batchSize}) working.
 */
public interface ConfigSource {

  /** The value of {@code key} in any spelling ({@link #canonical}), or {@code null} when it is not set. */
  String get(String key);

  /** Every key that is set, as the user spelled it (an environment variable's name for those), for spotting unknown ones. */
  Set<String> keys();

  /**
   * The form two spellings of one key share: camel-case words and numbers split, lower case, and {@code -},
   * {@code _} and {@code .} all written as {@code .}: {@code influx.batchSize},
   * {@code influx.batch-size} and {@code INFLUX_BATCH_SIZE} are all {@code influx.batch.size}.
   */
  static String canonical(String key) {
    StringBuilder out = new StringBuilder(key.length() + 4);
    String trimmed = key.trim();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '-' || c == '_' || c == '.') {
        out.append('.');
      } else {
        char previous = i > 0 ? trimmed.charAt(i - 1) : '.';
        boolean wordStarts = Character.isUpperCase(c) && (Character.isLowerCase(previous) || Character.isDigit(previous))
            || Character.isDigit(c) && Character.isLetter(previous);
        if (wordStarts) {
          out.append('.');
        }
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }

  /**
   * The environment variable that sets {@code key}: {@code STAMPEDE_} and the key in upper case,
   * words separated by {@code _} ({@code influx.batch-size} is {@code STAMPEDE_INFLUX_BATCH_SIZE}).
   */
  static String environmentVariable(String key) {
    return "STAMPEDE_" + canonical(key).replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * The key an environment variable sets, in canonical form ({@code STAMPEDE_INFLUX_BATCH_SIZE} sets
   * {@code influx.batch.size}, which is {@code influx.batch-size}), or {@code null} for a variable
   * that does not start with {@code STAMPEDE_}.
   */
  static String keyOfEnvironmentVariable(String name) {
    if (!name.startsWith("STAMPEDE_") || name.length() == "STAMPEDE_".length()) {
      return null;
    }
    return canonical(name.substring("STAMPEDE_".length()));
  }

  /**
   * A source backed by a copy of {@code values}, keys in any spelling; when two spellings of one key
   * are present, the later in {@code values}' iteration order wins.
   */
  static ConfigSource of(Map<String, String> values) {
    Map<String, String> byCanonical = new LinkedHashMap<>();
    Map<String, String> spelling = new LinkedHashMap<>();
    values.forEach((key, value) -> {
      String canonical = canonical(key);
      byCanonical.put(canonical, value);
      spelling.put(canonical, key);
    });
    Set<String> keys = java.util.Collections.unmodifiableSet(new TreeSet<>(spelling.values()));
    return new ConfigSource() {
      @Override
      public String get(String key) {
        return byCanonical.get(canonical(key));
      }

      @Override
      public Set<String> keys() {
        return keys;
      }
    };
  }

  /** An empty source: every key takes its default. */
  static ConfigSource empty() {
    return of(Map.of());
  }
}
