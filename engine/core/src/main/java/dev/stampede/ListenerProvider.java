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

  /**
   * Checks the keys under this listener's prefix without starting anything. The engine calls it
   * for every listener on the class path, enabled or not, so that a misspelt key
   * ({@code --set influx.ulr=x} with only Prometheus enabled) is an error rather than silence. The
   * default creates the listener and closes it; providers with a {@link
   * dev.stampede.config.BackendConfig} call its {@code validate()} instead.
   *
   * @throws ConfigException listing every problem
   */
  default void validate(ConfigSource config) {
    create(config).close();
  }
}
