package dev.stampede.listener.print;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;

/** Provides {@code --listener print}; it takes no configuration keys. */
public final class PrintListenerProvider implements ListenerProvider {

  @Override
  public String name() {
    return "print";
  }

  @Override
  public Listener create(ConfigSource config) {
    for (String key : config.keys()) {
      if (key.startsWith("print.")) {
        throw new ConfigException("unknown key " + key + ": the print listener takes no configuration");
      }
    }
    return new PrintListener(System.err);
  }
}
