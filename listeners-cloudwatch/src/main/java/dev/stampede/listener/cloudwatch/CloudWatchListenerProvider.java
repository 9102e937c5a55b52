package dev.stampede.listener.cloudwatch;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigSource;

/**
 * Makes the CloudWatch listener available as {@code --listener cloudwatch}; registered in
 * {@code META-INF/services/dev.stampede.ListenerProvider}.
 */
public final class CloudWatchListenerProvider implements ListenerProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public CloudWatchListenerProvider() {}

  /** {@code cloudwatch}. */
  @Override
  public String name() {
    return "cloudwatch";
  }

  /**
   * A listener configured by the {@code cloudwatch.*} keys; the AWS client is built at start.
   *
   * @throws dev.stampede.config.ConfigException listing every problem with the configuration
   */
  @Override
  public Listener create(ConfigSource config) {
    return CloudWatchListener.builder(CloudWatchConfig.of(config)).build();
  }

  /** Checks the keys under this listener's prefix, also when it is not enabled; starts nothing. */
  @Override
  public void validate(ConfigSource config) {
    CloudWatchConfig.of(config).validate();
  }
}
