package dev.stampede;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;

/**
 * Creates a {@link Listener} by name; found with {@link java.util.ServiceLoader}, so a listener
 * module registers its provider in {@code META-INF/services/dev.stampede.ListenerProvider} and
 * users enable it with {@code --listener NAME}.
 */
public interface ListenerProvider {

  /** The name users pass to {@code --listener}, e.g. {@code prometheus}. */
  String name();

  /**
   * Creates the listener from the run's configuration (its keys under the listener's prefix).
   *
   * @throws ConfigException listing every problem with the configuration, which the CLI reports
   *     in one line and exits with code 2
   */
  Listener create(ConfigSource config);
}
