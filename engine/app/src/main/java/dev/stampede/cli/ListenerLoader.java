package dev.stampede.cli;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds listener providers with {@link ServiceLoader} and creates the listeners a run names. */
final class ListenerLoader {

  /**
   * Key prefixes the engine itself sets or reads: {@code bus.*} (the result queues),
   * {@code listener.*} (what every listener shares, {@code listener.stop-timeout}) and
   * {@code kpi.file}, the path of {@code --kpi}, for listeners that mirror KPIs in their backend.
   */
  static final java.util.Set<String> ENGINE_PREFIXES = java.util.Set.of("bus", "kpi", "listener");

  private final Map<String, ListenerProvider> providers = new TreeMap<>();
  /** The schemes of results-store plugins ({@code s3}), whose settings share the key style. */
  private final java.util.Set<String> storePrefixes = new java.util.TreeSet<>();

  ListenerLoader() {
    this(ServiceLoader.load(ListenerProvider.class));
  }

  /** A loader of {@code providers}, for tests. */
  ListenerLoader(Iterable<ListenerProvider> providers) {
    this(providers, storeSchemes());
  }

  /** A loader of {@code providers} and of results stores with {@code storeSchemes}, for tests. */
  ListenerLoader(Iterable<ListenerProvider> providers, java.util.Set<String> storeSchemes) {
    for (ListenerProvider provider : providers) {
      this.providers.put(provider.name(), provider);
    }
    storePrefixes.addAll(storeSchemes);
  }

  private static java.util.Set<String> storeSchemes() {
    java.util.Set<String> schemes = new java.util.TreeSet<>();
    for (dev.stampede.store.ResultsStoreProvider provider
        : ServiceLoader.load(dev.stampede.store.ResultsStoreProvider.class)) {
      schemes.add(provider.scheme());
    }
    return schemes;
  }

  /** Every key prefix a plugin reads: listener names and results-store schemes. */
  java.util.Set<String> settingPrefixes() {
    java.util.Set<String> prefixes = new java.util.TreeSet<>(providers.keySet());
    prefixes.addAll(storePrefixes);
    return prefixes;
  }

  /** The names of every listener on the class path. */
  java.util.Set<String> available() {
    return providers.keySet();
  }

  /**
   * Creates the named listeners; checks that configuration keys belong to a known listener.
   *
   * @throws ConfigException listing every unknown name and every configuration problem
   */
  Map<String, Listener> create(List<String> names, ConfigSource config) {
    List<String> problems = new ArrayList<>();
    java.util.Set<String> prefixesInUse = new java.util.TreeSet<>();
    for (String key : config.keys()) {
      String canonical = ConfigSource.canonical(key);
      String prefix = canonical.contains(".") ? canonical.substring(0, canonical.indexOf('.')) : canonical;
      if (prefix.equals("kpi") && !canonical.equals("kpi.file")) {
        problems.add("unknown key " + key + " (the engine sets kpi.file from --kpi)");
      } else if (!providers.containsKey(prefix) && !ENGINE_PREFIXES.contains(prefix) && !storePrefixes.contains(prefix)) {
        problems.add("unknown key " + key + " (keys start with a listener name or a results store's scheme: "
            + String.join(", ", settingPrefixes()) + ")");
      } else {
        prefixesInUse.add(prefix);
      }
    }
    Map<String, Listener> listeners = new LinkedHashMap<>();
    for (String name : names) {
      ListenerProvider provider = providers.get(name);
      if (provider == null) {
        problems.add("unknown listener " + name + " (available: " + String.join(", ", providers.keySet()) + ")");
        continue;
      }
      if (listeners.containsKey(name)) {
        continue;
      }
      try {
        listeners.put(name, provider.create(config));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    // Keys of listeners that are not enabled are checked too: a typo must not pass silently.
    for (String prefix : prefixesInUse) {
      ListenerProvider provider = providers.get(prefix);
      if (provider != null && !names.contains(prefix)) {
        try {
          provider.validate(config);
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
    }
    if (!problems.isEmpty()) {
      listeners.values().forEach(ListenerLoader::closeQuietly);
      throw new ConfigException(problems);
    }
    return listeners;
  }

  private static void closeQuietly(Listener listener) {
    try {
      listener.close();
    } catch (Exception e) {
      // Closing a listener that never started.
    }
  }
}
