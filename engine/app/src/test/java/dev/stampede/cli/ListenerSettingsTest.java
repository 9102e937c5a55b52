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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void namesTheEnvironmentVariableOfAnUnknownKeyWithTheKeyItMeantAndHowToSetIt() {
    ListenerLoader loader = new ListenerLoader(List.of(new FakeProvider("fake")));

    assertThatThrownBy(() -> loader.create(List.of("fake"), settings(Map.of("STAMPEDE_FAKE_BATCH_SIZEE", "5"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown key STAMPEDE_FAKE_BATCH_SIZEE, the environment variable of fake.batch.sizee: did you mean"
            + " fake.batch-size? Set it with STAMPEDE_FAKE_BATCH_SIZE or --set fake.batch-size=...");
    assertThatThrownBy(() -> loader.create(List.of("fake"), settings(Map.of(), "fake.batch-sizee=5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown key fake.batch-sizee: did you mean fake.batch-size? Set it with --set fake.batch-size=..."
            + " or STAMPEDE_FAKE_BATCH_SIZE");
  }

  @Test
  void readsAResultsStoresKeysWhoseNameHasADigitFromTheEnvironment() {
    ListenerLoader loader = new ListenerLoader(List.of(new FakeProvider("fake")), Set.of("s3"));
    ConfigSource settings = Settings.resolve(null, Map.of("STAMPEDE_S3_ENDPOINT", "http://127.0.0.1:9000",
        "STAMPEDE_S3_PATH_STYLE", "true", "STAMPEDE_DEBUG", "1"), List.of(), loader.settingPrefixes());

    assertThat(settings.get("s3.endpoint")).isEqualTo("http://127.0.0.1:9000");
    assertThat(settings.get("s3.path-style")).isEqualTo("true");
    assertThat(settings.keys()).containsExactly("STAMPEDE_S3_ENDPOINT", "STAMPEDE_S3_PATH_STYLE");
    assertThat(loader.create(List.of("fake"), settings)).containsOnlyKeys("fake");
  }

  @Test
  void letsAnEnvironmentVariableOverrideTheConfigFileAndSetOverrideBoth(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("settings.properties");
    Files.writeString(file, "fake.batch-size=3\nfake.url=http://file:1\n");

    ConfigSource settings = Settings.resolve(file, Map.of("STAMPEDE_FAKE_BATCH_SIZE", "4",
        "STAMPEDE_FAKE_URL", "http://env:1"), List.of("fake.url=http://set:1"), Set.of("fake"));

    assertThat(settings.get("fake.batch-size")).isEqualTo("4");
    assertThat(settings.get("fake.url")).isEqualTo("http://set:1");
    assertThat(settings.keys()).containsExactlyInAnyOrder("STAMPEDE_FAKE_BATCH_SIZE", "fake.url");
  }
}
