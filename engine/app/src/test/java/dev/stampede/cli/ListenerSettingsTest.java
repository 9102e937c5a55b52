package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ListenerSettingsTest {

  /** A backend with two multi-word keys, one nested, as the real listeners have. */
  record FakeConfig(ConfigSource source) implements BackendConfig {
    @Override
    public String prefix() {
      return "fake";
    }

    @Override
    public Map<String, Supplier<?>> knownKeys() {
      Map<String, Supplier<?>> keys = new LinkedHashMap<>();
      keys.put("url", () -> string("url", "http://127.0.0.1:1"));
      keys.put("batch-size", () -> integer("batch-size", 10, 1, 100));
      keys.put("remote-write.url", () -> string("remote-write.url", null));
      return keys;
    }
  }

  static final class FakeProvider implements ListenerProvider {
    private final String name;

    FakeProvider(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Listener create(ConfigSource config) {
      new FakeConfig(config).validate();
      return new Listener() {
        @Override
        public void onStart(RunInfo run) {}

        @Override
        public void onResults(List<RequestResult> batch) {}

        @Override
        public void onStop(Summary summary) {}
      };
    }

    @Override
    public void validate(ConfigSource config) {
      new FakeConfig(config).validate();
    }
  }

  private static ConfigSource settings(Map<String, String> environment, String... sets) {
    return Settings.resolve(null, environment, List.of(sets), Set.of("fake", "other", "listener", "bus", "kpi"));
  }

  @Test
  void setsMultiWordAndNestedKeysFromTheEnvironment() {
    FakeConfig config = new FakeConfig(settings(Map.of(
        "STAMPEDE_FAKE_BATCH_SIZE", "42", "STAMPEDE_FAKE_REMOTE_WRITE_URL", "http://rw:9090", "STAMPEDE_DEBUG", "1")));

    config.validate();
    assertThat(config.integer("batch-size", 10, 1, 100)).isEqualTo(42);
    assertThat(config.raw("remote-write.url")).isEqualTo("http://rw:9090");
    assertThat(ConfigSource.environmentVariable("fake.remote-write.url")).isEqualTo("STAMPEDE_FAKE_REMOTE_WRITE_URL");
  }

  @Test
  void readsTheEarlierCamelCaseSpellingAsTheSameKey() {
    FakeConfig config = new FakeConfig(settings(Map.of(), "fake.batchSize=7"));

    config.validate();
    assertThat(config.integer("batch-size", 10, 1, 100)).isEqualTo(7);
  }

  @Test
  void letsSetOverrideTheEnvironmentWhateverTheSpelling() {
    FakeConfig config = new FakeConfig(settings(Map.of("STAMPEDE_FAKE_BATCH_SIZE", "42"), "fake.batchSize=7"));

    assertThat(config.integer("batch-size", 10, 1, 100)).isEqualTo(7);
    assertThat(config.source().keys()).containsExactly("fake.batchSize");
  }

  @Test
  void rejectsAMisspeltKeyOfAListenerThatIsNotEnabled() {
    ListenerLoader loader = new ListenerLoader(List.of(new FakeProvider("fake"), new FakeProvider("other")));

    assertThatThrownBy(() -> loader.create(List.of("other"), settings(Map.of(), "fake.ulr=x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key fake.ulr");
    assertThatThrownBy(() -> loader.create(List.of("other"), settings(Map.of("STAMPEDE_FAKE_BATCH_SIZE", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fake.batch-size=0 must be between 1 and 100");
    assertThat(loader.create(List.of("other"), settings(Map.of("STAMPEDE_FAKE_BATCH_SIZE", "5")))).containsOnlyKeys("other");
  }
}
