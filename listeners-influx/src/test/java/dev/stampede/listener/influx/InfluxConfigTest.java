package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class InfluxConfigTest {

  private static final String PASSWORD = "pw-Secr3t-do-not-print";
  private static final String TOKEN = "tok-Secr3t-do-not-print";

  private static InfluxConfig config(Map<String, String> values) {
    return InfluxConfig.from(ConfigSource.of(values));
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    InfluxConfig config = config(Map.of());
    config.validate();

    assertThat(config.url()).isEqualTo("http://127.0.0.1:8086");
    assertThat(config.db()).isEqualTo("stampede");
    assertThat(config.retentionPolicy()).isNull();
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.mode()).isEqualTo(InfluxConfig.Mode.AGGREGATE);
    assertThat(config.gzip()).isTrue();
    assertThat(config.createDatabase()).isTrue();
    assertThat(config.batchSize()).isEqualTo(InfluxConfig.RECOMMENDED_BATCH_SIZE);
    assertThat(config.bufferSize()).isEqualTo(100_000);
    assertThat(config.flushTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxEndpoints()).isEqualTo(1_000);
  }

  @Test
  void readsEveryKey() {
    Map<String, String> values = new HashMap<>();
    values.put("influx.url", "https://influx.example:8443");
    values.put("influx.db", "perf");
    values.put("influx.retention-policy", "week");
    values.put("influx.mode", "RAW");
    values.put("influx.step", "250ms");
    values.put("influx.gzip", "off");
    values.put("influx.batch-size", "100");
    values.put("influx.buffer-size", "1000");
    values.put("influx.retry-backoff", "50ms");
    values.put("influx.retry-max-backoff", "2s");
    values.put("influx.flush-timeout", "3s");
    values.put("influx.timeout", "1s");
    values.put("influx.max-endpoints", "20");
    values.put("influx.create-database", "false");
    values.put("influx.token", TOKEN);
    InfluxConfig config = config(values);
    config.validate();

    assertThat(config.mode()).isEqualTo(InfluxConfig.Mode.RAW);
    assertThat(config.step()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.gzip()).isFalse();
    assertThat(config.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.token()).isEqualTo(TOKEN);
    assertThat(config.retentionPolicy()).isEqualTo("week");
  }

  @Test
  void reportsEveryProblemAtOnceIncludingUnknownKeys() {
    InfluxConfig config = config(Map.of(
        "influx.url", "ftp://nowhere",
        "influx.step", "10ms",
        "influx.mode", "sampled",
        "influx.batch-size", "0",
        "influx.buffer-size", "lots",
        "influx.retry-backoff", "10s",
        "influx.retry-max-backoff", "1s",
        "influx.dbname", "typo"));

    assertThatThrownBy(config::validate)
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(7))
        .hasMessageContaining("influx.url=ftp://nowhere must be an http or https URL")
        .hasMessageContaining("influx.step=10ms must be between 100ms and 1h")
        .hasMessageContaining("influx.mode=sampled must be one of aggregate, raw")
        .hasMessageContaining("influx.batch-size=0 must be between 1 and 100000")
        .hasMessageContaining("influx.buffer-size=lots must be a whole number")
        .hasMessageContaining("influx.retry-max-backoff=1s must be >= influx.retry-backoff=10s")
        .hasMessageContaining("unknown key influx.dbname");
  }

  @Test
  void secretsNeverAppearInProblemsOrToString() {
    Map<String, String> values = new HashMap<>();
    values.put("influx.password", PASSWORD);
    values.put("influx.token", TOKEN);
    values.put("influx.url", "http://admin:" + PASSWORD + "@127.0.0.1:8086");
    InfluxConfig config = config(values);

    assertThatThrownBy(config::validate)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("influx.password is set but influx.user is not")
        .hasMessageContaining("influx.url must not contain credentials")
        .hasMessageNotContaining(PASSWORD)
        .hasMessageNotContaining(TOKEN);
    assertThat(config.toString()).contains("password=****", "token=****", "url=http://****@127.0.0.1:8086")
        .doesNotContain(PASSWORD).doesNotContain(TOKEN);
  }

  @Test
  void rejectsTokenTogetherWithUser() {
    InfluxConfig config = config(Map.of("influx.user", "u", "influx.password", PASSWORD, "influx.token", TOKEN));

    assertThatThrownBy(config::validate)
        .hasMessageContaining("influx.token and influx.user are both set")
        .hasMessageNotContaining(TOKEN)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void providerIsFoundByNameAndValidatesBeforeCreating() {
    ListenerProvider provider = ServiceLoader.load(ListenerProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("influx"))
        .findFirst().orElseThrow();

    assertThat(provider).isInstanceOf(InfluxListenerProvider.class);
    assertThatThrownBy(() -> provider.create(ConfigSource.of(Map.of("influx.bogus", "1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key influx.bogus");
  }
}
