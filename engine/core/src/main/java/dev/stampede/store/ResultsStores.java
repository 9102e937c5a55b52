package dev.stampede.store;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens a results store from its location: {@code scheme://...} through the plugin that provides
 * the scheme, anything else as a directory.
 */
public final class ResultsStores {

  private ResultsStores() {}

  /** Whether {@code location} names a remote store ({@code scheme://...}) rather than a directory. */
  public static boolean remote(String location) {
    return location.matches("[A-Za-z][A-Za-z0-9+.-]+://.*");
  }

  /**
   * Opens the store at {@code location}.
   *
   * @throws ConfigException when no plugin provides the scheme, naming those that exist
   */
  public static ResultsStore open(String location, ConfigSource settings) {
    if (!remote(location)) {
      return new DirectoryStore(Path.of(location));
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new ConfigException("results store " + location + " is not a valid URI: " + e.getReason());
    }
    List<String> schemes = new ArrayList<>();
    for (ResultsStoreProvider provider : ServiceLoader.load(ResultsStoreProvider.class)) {
      if (provider.scheme().equalsIgnoreCase(uri.getScheme())) {
        return provider.open(uri, settings);
      }
      schemes.add(provider.scheme());
    }
    throw new ConfigException("no results store plugin for " + uri.getScheme() + ":// on the class path"
        + (schemes.isEmpty() ? "" : " (available: " + String.join(", ", schemes) + ")")
        + "; the s3:// store is the stampede-results-s3 module");
  }
}
