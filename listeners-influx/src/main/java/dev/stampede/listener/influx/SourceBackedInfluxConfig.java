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

  /** The set keys and values, secrets (and credentials in a URL) masked by {@link dev.stampede.config.Secrets}. */
  @Override
  public String toString() {
    return "InfluxConfig[" + describeSetKeys() + "]";
  }
}
