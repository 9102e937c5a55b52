package dev.stampede.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The base of every listener's {@code XxxConfig}, in the Micrometer style: a {@link #prefix()}, and
 * typed default methods that read {@code prefix.key} through the helpers here and state their
 * default in Javadoc.
 *
 * <p>Each helper reads and parses one key, throwing {@link ConfigException} naming the key, the
 * value and the rule. {@link #validate()} calls every accessor named in {@link #knownKeys()} and
 * reports every problem at once, plus any key under the prefix that is not known.
 */
public interface BackendConfig {

  /** The prefix of this backend's keys, e.g. {@code influx}. */
  String prefix();

  /** Where values come from. */
  ConfigSource source();

  /**
   * The keys (without prefix) this config understands, each mapped to the accessor that reads it
   * (e.g. {@code this::url}), so {@link #validate()} can check them all. Order is the order problems
   * are reported in.
   */
  java.util.Map<String, Supplier<?>> knownKeys();

  /** Keys whose values are secrets and never appear in messages. */
  default Set<String> secretKeys() {
    return Set.of();
  }

  /**
   * Checks every known key and rejects unknown keys under the prefix.
   *
   * @throws ConfigException listing every problem
   */
  default void validate() {
    List<String> problems = new ArrayList<>();
    for (var accessor : knownKeys().values()) {
      try {
        accessor.get();
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    problems.addAll(unknownKeys());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /**
   * One problem for each key under the prefix, in any spelling ({@link ConfigSource#canonical}),
   * that is not one of {@link #knownKeys()}: named as the user spelled it (the environment
   * variable for a key from the environment), with the closest known key and how to set it
   * ({@link ConfigSource#unknownKey}).
   */
  default List<String> unknownKeys() {
    String under = ConfigSource.canonical(prefix()) + ".";
    Set<String> known = new TreeSet<>();
    Set<String> knownCanonical = new TreeSet<>();
    for (String key : knownKeys().keySet()) {
      known.add(prefix() + "." + key);
      knownCanonical.add(ConfigSource.canonical(prefix() + "." + key));
    }
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(source().keys())) {
      String canonical = ConfigSource.canonical(key);
      if (canonical.startsWith(under) && !knownCanonical.contains(canonical)) {
        problems.add(ConfigSource.unknownKey(key, known));
      }
    }
    return problems;
  }

  /**
   * This config's keys, set or not, with their values as {@code toString} shows them: secrets
   * ({@link #secretKeys()}) and credentials in URLs masked by {@link Secrets}, unset keys left out.
   */
  default String describeSetKeys() {
    StringBuilder sb = new StringBuilder();
    for (String key : knownKeys().keySet()) {
      String value = raw(key);
      if (value != null) {
        sb.append(sb.isEmpty() ? "" : ", ").append(key).append('=')
            .append(secretKeys().contains(key) ? Secrets.MASK : Secrets.maskUrl(value));
      }
    }
    return sb.toString();
  }

  /** The values of the {@link #secretKeys()} that are set, for {@link Secrets#mask}. */
  default List<String> secretValues() {
    List<String> values = new ArrayList<>();
    for (String key : secretKeys()) {
      String value = raw(key);
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  /** The raw value of {@code prefix.key}, trimmed, or {@code null} when unset or blank. */
  default String raw(String key) {
    String value = source().get(prefix() + "." + key);
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.trim();
  }

  /** A string value, or {@code defaultValue}. */
  default String string(String key, String defaultValue) {
    String value = raw(key);
    return value == null ? defaultValue : value;
  }

  /** An integer within {@code [min, max]}, or {@code defaultValue}. */
  default int integer(String key, int defaultValue, int min, int max) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(describe(key, value) + " must be a whole number");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(describe(key, value) + " must be between " + min + " and " + max);
    }
    return parsed;
  }

  /** A decimal number >= {@code min}, or {@code defaultValue}. */
  default double decimal(String key, double defaultValue, double min) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(describe(key, value) + " must be a number");
    }
    if (!(parsed >= min) || Double.isInfinite(parsed)) {
      throw new ConfigException(describe(key, value) + " must be a finite number >= " + min);
    }
    return parsed;
  }

  /** {@code true}/{@code false} (also yes/no, on/off), or {@code defaultValue}. */
  default boolean bool(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(describe(key, value) + " must be true or false");
    };
  }

  /** A duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, or {@code defaultValue}. */
  default Duration duration(String key, Duration defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(describe(key, value) + " " + e.getMessage());
    }
  }

  /**
   * A duration within {@code [min, max]}, or {@code defaultValue}: the one range check every
   * listener's durations go through, with one message ({@code influx.timeout=0s must be between 100ms and 5m00s}).
   */
  default Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
    Duration value = duration(key, defaultValue);
    if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
      throw new ConfigException(describe(key, raw(key)) + " must be between " + Durations.format(min)
          + " and " + Durations.format(max));
    }
    return value;
  }

  /** One of {@code allowed} (case-insensitive, returned lower case), or {@code defaultValue}. */
  default String choice(String key, String defaultValue, String... allowed) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    for (String option : allowed) {
      if (option.equalsIgnoreCase(value)) {
        return option;
      }
    }
    throw new ConfigException(describe(key, value) + " must be one of " + String.join(", ", allowed));
  }

  /**
   * An {@code http} or {@code https} URL with a host, or empty when the key is not set.
   *
   * @param example a valid value, quoted in the error
   */
  default Optional<URI> httpUrl(String key, String example) {
    String value = raw(key);
    if (value == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value);
      if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below, as for a URL of another scheme
    }
    throw new ConfigException(describe(key, value) + " must be an http(s) URL such as " + example);
  }

  /** {@code "prefix.key=value"}, or {@code "prefix.key"} alone for secrets. */
  default String describe(String key, String value) {
    String full = prefix() + "." + key;
    return secretKeys().contains(key) ? full : full + "=" + value;
  }
}
