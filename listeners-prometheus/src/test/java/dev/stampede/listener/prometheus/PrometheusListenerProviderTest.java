package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.util.Map;
import java.util.ServiceLoader;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class PrometheusListenerProviderTest {

  private static ListenerProvider provider() {
    return ServiceLoader.load(ListenerProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("prometheus")).findFirst().orElseThrow();
  }

  @Test
  void isFoundByNameThroughServiceLoader() {
    assertThat(provider()).isInstanceOf(PrometheusListenerProvider.class);
    assertThat(provider().create(ConfigSource.of(Map.of("prometheus.port", "0")))).isInstanceOf(PrometheusListener.class);
  }

  @Test
  void rejectsABadConfigurationListingEveryProblemOnce() {
    ConfigException e = Assertions.catchThrowableOfType(ConfigException.class, () -> provider().create(
        ConfigSource.of(Map.of("prometheus.scrape-interval", "often", "prometheus.max-errors", "-1"))));
    assertThat(e.problems()).containsExactly(
        "prometheus.scrape-interval=often must be a duration like 500ms, 30s, 5m, 1h or 1h30m",
        "prometheus.max-errors=-1 must be between 1 and 10000");
  }
}
