package dev.stampede.store;

import dev.stampede.config.ConfigSource;
import java.net.URI;

/**
 * Opens a remote {@link ResultsStore} for one URI scheme; found with {@link java.util.ServiceLoader}
 * (a plugin module lists its provider in
 * {@code META-INF/services/dev.stampede.store.ResultsStoreProvider}), like listeners.
 */
public interface ResultsStoreProvider {

  /** The URI scheme this provider opens, e.g. {@code s3}. */
  String scheme();

  /**
   * Opens the store at {@code location}.
   *
   * @param settings the run's settings ({@code --set}, {@code --config}, environment), for the
   *     provider's own keys under its prefix
   * @throws dev.stampede.config.ConfigException when the location or a setting is invalid
   */
  ResultsStore open(URI location, ConfigSource settings);
}
