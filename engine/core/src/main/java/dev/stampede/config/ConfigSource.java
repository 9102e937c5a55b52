package dev.stampede.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where configuration values come from: {@code --config FILE}, environment variables
 * ({@code STAMPEDE_PROMETHEUS_PORT} for {@code prometheus.port}) and {@code --set key=value}, the
 * later overriding the earlier. Keys are full, e.g. {@code influx.url}.
 */
public interface ConfigSource {

  /** The value of {@code key}, or {@code null} when it is not set. */
  String get(String key);

  /** Every key that is set, for spotting unknown ones. */
  Set<String> keys();

  /** A source backed by a copy of {@code values}. */
  static ConfigSource of(Map<String, String> values) {
    Map<String, String> copy = new TreeMap<>(values);
    return new ConfigSource() {
      @Override
      public String get(String key) {
        return copy.get(key);
      }

      @Override
      public Set<String> keys() {
        return copy.keySet();
      }
    };
  }

  /** An empty source: every key takes its default. */
  static ConfigSource empty() {
    return of(Map.of());
  }
}
