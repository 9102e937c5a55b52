package dev.stampede.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  /**
   * Every key that is set, as the user spelled it, for spotting unknown ones: the environment
   * variable's name ({@code STAMPEDE_INFLUX_BATCH_SIZE}) for a key set from the environment, so
   * that a message names what the user actually set.
   */
  Set<String> keys();

  /** How environment variables that set keys begin. */
  String ENVIRONMENT_PREFIX = "STAMPEDE_";

  /**
   * The form two spellings of one key share: camel-case words split, lower case, and {@code -},
   * {@code _} and {@code .} all written as {@code .}: {@code influx.batchSize},
   * {@code influx.batch-size} and {@code INFLUX_BATCH_SIZE} are all {@code influx.batch.size}, and an
   * environment variable's name is the key it sets ({@code STAMPEDE_INFLUX_BATCH_SIZE} is
   * {@code influx.batch.size}). Digits stay with their word: {@code s3.endpoint} and
   * {@code S3_ENDPOINT} are {@code s3.endpoint} ({@code price-per-1000-requests} keeps its
   * {@code 1000} as a word of its own because separators surround it).
   */
  static String canonical(String key) {
    String trimmed = key.trim();
    if (isEnvironmentVariable(trimmed)) {
      trimmed = trimmed.substring(ENVIRONMENT_PREFIX.length());
    }
    StringBuilder out = new StringBuilder(trimmed.length() + 4);
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '-' || c == '_' || c == '.') {
        out.append('.');
      } else {
        if (Character.isUpperCase(c) && camelWordStarts(trimmed, i)) {
          out.append('.');
        }
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }

  /**
   * Whether the upper-case letter at {@code i} starts a camel-case word: it follows a lower-case
   * letter, directly or after digits ({@code batchSize}, {@code s3Endpoint}), and not in an upper-case
   * name, whose digits stay with their word ({@code S3X} is one word).
   */
  private static boolean camelWordStarts(String key, int i) {
    int before = i - 1;
    while (before >= 0 && Character.isDigit(key.charAt(before))) {
      before--;
    }
    return before >= 0 && Character.isLowerCase(key.charAt(before));
  }

  /** Whether {@code key} is spelled as an environment variable ({@code STAMPEDE_INFLUX_URL}). */
  static boolean isEnvironmentVariable(String key) {
    return key.startsWith(ENVIRONMENT_PREFIX) && key.length() > ENVIRONMENT_PREFIX.length();
  }

  /**
   * The environment variable that sets {@code key}: {@code STAMPEDE_} and the key in upper case,
   * words separated by {@code _} ({@code influx.batch-size} is {@code STAMPEDE_INFLUX_BATCH_SIZE}).
   */
  static String environmentVariable(String key) {
    return ENVIRONMENT_PREFIX + canonical(key).replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * The key an environment variable sets, in canonical form ({@code STAMPEDE_INFLUX_BATCH_SIZE} sets
   * {@code influx.batch.size}, which is {@code influx.batch-size}), or {@code null} for a variable
   * that does not start with {@code STAMPEDE_}.
   */
  static String keyOfEnvironmentVariable(String name) {
    return isEnvironmentVariable(name) ? canonical(name) : null;
  }

  /**
   * The environment variables that are settings: those whose key is under one of {@code prefixes}
   * ({@code influx}, {@code s3}; other {@code STAMPEDE_*} variables such as {@code STAMPEDE_DEBUG}
   * are not), by name, in name order. The names are keys of {@link #of} as they are.
   */
  static Map<String, String> settingsInEnvironment(Map<String, String> environment, Collection<String> prefixes) {
    Map<String, String> settings = new TreeMap<>();
    environment.forEach((name, value) -> {
      String key = keyOfEnvironmentVariable(name);
      if (key != null && prefixes.stream().anyMatch(prefix -> key.startsWith(canonical(prefix) + "."))) {
        settings.put(name, value);
      }
    });
    return settings;
  }

  /**
   * The message for a key that is set but not known, naming it as the user spelled it, suggesting
   * the closest known key when one is close (a typo, a missing word) and saying how to set that one:
   * {@code unknown key STAMPEDE_INFLUX_BATCH_SIZEE, the environment variable of influx.batch.sizee:
   * did you mean influx.batch-size? Set it with STAMPEDE_INFLUX_BATCH_SIZE or --set influx.batch-size=...}.
   * Without a close key, the known ones are listed.
   *
   * @param spelled the key as {@link #keys()} gives it
   * @param known every known key in full ({@code influx.batch-size}), as documented
   */
  static String unknownKey(String spelled, Collection<String> known) {
    String canonical = canonical(spelled);
    StringBuilder message = new StringBuilder("unknown key ").append(spelled);
    boolean fromEnvironment = isEnvironmentVariable(spelled);
    if (fromEnvironment) {
      message.append(", the environment variable of ").append(canonical);
    }
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String key : new TreeSet<>(known)) {
      int distance = editDistance(canonical, canonical(key));
      if (distance < best) {
        best = distance;
        closest = key;
      }
    }
    if (closest != null && best <= Math.max(2, canonical.length() / 4)) {
      message.append(": did you mean ").append(closest).append("? Set it with ");
      message.append(fromEnvironment
          ? environmentVariable(closest) + " or --set " + closest + "=..."
          : "--set " + closest + "=... or " + environmentVariable(closest));
    } else if (!known.isEmpty()) {
      message.append(" (known: ").append(String.join(", ", new TreeSet<>(known)));
      message.append(fromEnvironment ? "; each is set as STAMPEDE_ and the key in upper case, _ between words)" : ")");
    }
    return message.toString();
  }

  /** Levenshtein's distance: the fewest characters inserted, deleted or replaced to turn {@code a} into {@code b}. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
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
