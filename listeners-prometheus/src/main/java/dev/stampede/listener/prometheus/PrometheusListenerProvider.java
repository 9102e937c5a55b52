package dev.stampede.listener.prometheus;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigSource;

/** Creates the {@code prometheus} listener ({@code --listener prometheus}) from keys under {@code prometheus.}. */
public final class PrometheusListenerProvider implements ListenerProvider {

  /** The listener's name on the command line. */
  public static final String NAME = "prometheus";

  @Override
  public String name() {
    return NAME;
  }

  /** {@inheritDoc} */
  @Override
  public Listener create(ConfigSource config) {
    return PrometheusListener.builder().config(config).build();
  }

  /** Checks the keys under this listener's prefix, also when it is not enabled; starts nothing. */
  @Override
  public void validate(ConfigSource config) {
    PrometheusConfig.of(config).validate();
  }
}
