package dev.stampede.listener.influx;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigSource;

/** Provides {@link InfluxListener} as {@code --listener influx}, configured by the {@code influx.*} keys. */
public final class InfluxListenerProvider implements ListenerProvider {

  /** The listener's name on the command line. */
  public static final String NAME = "influx";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws dev.stampede.config.ConfigException listing every problem with the {@code influx.*} keys
   */
  @Override
  public Listener create(ConfigSource config) {
    return InfluxListener.builder().config(InfluxConfig.from(config)).build();
  }

  /** Checks the keys under this listener's prefix, also when it is not enabled; starts nothing. */
  @Override
  public void validate(ConfigSource config) {
    InfluxConfig.from(config).validate();
  }
}
