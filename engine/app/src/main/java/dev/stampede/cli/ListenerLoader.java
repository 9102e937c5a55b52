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
   * Key prefixes the engine itself sets or reads: {@code bus.*} (the result queues) and
   * {@code kpi.file}, the path of {@code --kpi}, for listeners that mirror KPIs in their backend.
   */
  static final java.util.Set<String> ENGINE_PREFIXES = java.util.Set.of("bus", "kpi");

  private final Map<String, ListenerProvider> providers = new TreeMap<>();

  ListenerLoader() {
    for (ListenerProvider provider : ServiceLoader.load(ListenerProvider.class)) {
      providers.put(provider.name(), provider);
    }
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
    for (String key : config.keys()) {
      String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      if (prefix.equals("kpi") && !key.equalsIgnoreCase("kpi.file")) {
        problems.add("unknown key " + key + " (the engine sets kpi.file from --kpi)");
      } else if (!providers.containsKey(prefix) && !ENGINE_PREFIXES.contains(prefix)) {
        problems.add("unknown key " + key + " (keys start with a listener name: " + String.join(", ", providers.keySet()) + ")");
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
