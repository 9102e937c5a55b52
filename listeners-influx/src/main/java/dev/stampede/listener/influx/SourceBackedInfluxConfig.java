package dev.stampede.listener.influx;

import dev.stampede.config.ConfigSource;
import java.util.Objects;

/** The config read from a {@link ConfigSource}, with a {@code toString} that hides the secrets. */
final class SourceBackedInfluxConfig implements InfluxConfig {
  private final ConfigSource source;

  SourceBackedInfluxConfig(ConfigSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public ConfigSource source() {
    return source;
  }

  /** The set keys and values, secrets (and credentials in a URL) shown as {@code ****}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("InfluxConfig[");
    String separator = "";
    for (String key : knownKeys().keySet()) {
      String value = raw(key);
      if (value != null) {
        String shown = secretKeys().contains(key) ? "****"
            // A URL with credentials is invalid, but must not leak them here either.
            : key.equals("url") ? value.replaceFirst("(?<=://)[^/]*@", "****@") : value;
        sb.append(separator).append(key).append('=').append(shown);
        separator = ", ";
      }
    }
    return sb.append(']').toString();
  }
}
