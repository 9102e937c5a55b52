package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Listener;
import dev.stampede.ListenerProvider;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CloudWatchConfigTest {

  private static CloudWatchConfig config(Map<String, String> values) {
    return CloudWatchConfig.of(ConfigSource.of(values));
  }

  @Test
  void hasTheDocumentedDefaults() {
    CloudWatchConfig config = config(Map.of());

    config.validate();
    assertThat(config.namespace()).isEqualTo("loadtests");
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.batchSize()).isEqualTo(1000);
    assertThat(config.storageResolution()).isEqualTo(1);
    assertThat(config.dimensions()).isEmpty();
    assertThat(config.runIdDimension()).isFalse();
    assertThat(config.responseSize()).isFalse();
    assertThat(config.region()).isEmpty();
    assertThat(config.profile()).isEmpty();
    assertThat(config.endpoint()).isEmpty();
    assertThat(config.flushTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.pricePer1000Requests()).isEqualTo(0.01);
    assertThat(config.maxEndpoints()).isEqualTo(100);
    assertThat(config.dashboard()).isEmpty();
    assertThat(config.alarms()).isFalse();
    assertThat(config.kpiFile()).isEmpty();
  }

  @Test
  void derivesTheNamespaceFromEnvironmentAndService() {
    assertThat(config(Map.of("cloudwatch.environment", "prod", "cloudwatch.service", "checkout")).namespace())
        .isEqualTo("prod/checkout/loadtests");
    assertThat(config(Map.of("cloudwatch.service", "checkout")).namespace()).isEqualTo("checkout/loadtests");
    assertThat(config(Map.of("cloudwatch.service", "checkout", "cloudwatch.namespace", "Team/Perf")).namespace())
        .isEqualTo("Team/Perf");
  }

  @Test
  void readsEveryKey() {
    CloudWatchConfig config = config(Map.ofEntries(
        Map.entry("cloudwatch.step", "1m"),
        Map.entry("cloudwatch.batch-size", "20"),
        Map.entry("cloudwatch.dimensions", "Team=payments, Tier = gold"),
        Map.entry("cloudwatch.run-id-dimension", "yes"),
        Map.entry("cloudwatch.response-size", "true"),
        Map.entry("cloudwatch.region", "eu-west-1"),
        Map.entry("cloudwatch.profile", "perf"),
        Map.entry("cloudwatch.endpoint", "https://monitoring.eu-west-1.amazonaws.com"),
        Map.entry("cloudwatch.flush-timeout", "5s"),
        Map.entry("cloudwatch.max-attempts", "3"),
        Map.entry("cloudwatch.price-per-1000-requests", "0.02"),
        Map.entry("cloudwatch.max-endpoints", "50"),
        Map.entry("cloudwatch.dashboard", "perf-board"),
        Map.entry("cloudwatch.alarms", "true"),
        Map.entry("kpi.file", "/work/kpi.yaml")));

    config.validate();
    assertThat(config.step()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.storageResolution()).isEqualTo(60);
    assertThat(config.batchSize()).isEqualTo(20);
    assertThat(config.dimensions()).containsExactly(Map.entry("Team", "payments"), Map.entry("Tier", "gold"));
    assertThat(config.runIdDimension()).isTrue();
    assertThat(config.responseSize()).isTrue();
    assertThat(config.region()).contains("eu-west-1");
    assertThat(config.profile()).contains("perf");
    assertThat(config.endpoint()).contains(URI.create("https://monitoring.eu-west-1.amazonaws.com"));
    assertThat(config.flushTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.pricePer1000Requests()).isEqualTo(0.02);
    assertThat(config.maxEndpoints()).isEqualTo(50);
    assertThat(config.dashboard()).isEqualTo(Optional.of("perf-board"));
    assertThat(config.alarms()).isTrue();
    assertThat(config.kpiFile()).contains(java.nio.file.Path.of("/work/kpi.yaml"));
  }

  @Test
  void alarmsNeedAKpiFile() {
    assertThatThrownBy(() -> config(Map.of("cloudwatch.alarms", "true")).validate())
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("cloudwatch.alarms=true needs --kpi FILE (the alarms mirror its KPIs)"));
    config(Map.of("cloudwatch.alarms", "false")).validate();
    config(Map.of("kpi.file", "/work/kpi.yaml")).validate();
  }

  @Test
  void reportsABadAlarmsValueAmongTheOtherProblems() {
    assertThatThrownBy(() -> config(Map.of("cloudwatch.alarms", "sometimes", "cloudwatch.batch-size", "0")).validate())
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2)
            .anySatisfy(p -> assertThat(p).contains("cloudwatch.alarms=sometimes must be true or false"))
            .anySatisfy(p -> assertThat(p).contains("cloudwatch.batch-size=0")));
  }

  @Test
  void aMissingOrInvalidKpiFileStopsTheRunAtConfigurationTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    ListenerProvider provider = new CloudWatchListenerProvider();
    java.nio.file.Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> provider.create(ConfigSource.of(Map.of("cloudwatch.region", "eu-west-1",
        "cloudwatch.alarms", "true", "kpi.file", missing.toString()))))
        .isInstanceOf(ConfigException.class).hasMessageContaining(missing + " does not exist");
    java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yaml"), "kpis: {\"GET /x\": {p42: 1}}\n");
    assertThatThrownBy(() -> provider.create(ConfigSource.of(Map.of("cloudwatch.region", "eu-west-1",
        "cloudwatch.alarms", "true", "kpi.file", bad.toString()))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown metric 'p42'");
    java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good.yaml"), "kpis: {total: {p99: 800}}\n");
    try (Listener listener = provider.create(ConfigSource.of(Map.of("cloudwatch.region", "eu-west-1",
        "cloudwatch.alarms", "true", "kpi.file", good.toString())))) {
      assertThat(listener).isInstanceOf(CloudWatchListener.class);
    }
  }

  @Test
  void reportsEveryProblemAtOnce() {
    CloudWatchConfig config = config(Map.of(
        "cloudwatch.batch-size", "1001",
        "cloudwatch.step", "500ms",
        "cloudwatch.namespace", "AWS/EC2",
        "cloudwatch.dimensions", "Name=x",
        "cloudwatch.endpoint", "not a url",
        "cloudwatch.storage-resolution", "5",
        "cloudwatch.batchsize", "20"));

    assertThatThrownBy(config::validate).isInstanceOfSatisfying(ConfigException.class, e ->
        assertThat(e.problems()).hasSize(7).anySatisfy(p -> assertThat(p).contains("cloudwatch.batch-size=1001 must be between 1 and 1000"))
            .anySatisfy(p -> assertThat(p).contains("cloudwatch.step=500ms must be between 1s and 1h"))
            .anySatisfy(p -> assertThat(p).contains("cloudwatch.namespace=AWS/EC2"))
            .anySatisfy(p -> assertThat(p).contains("may not set Name"))
            .anySatisfy(p -> assertThat(p).contains("cloudwatch.endpoint=not a url"))
            .anySatisfy(p -> assertThat(p).contains("cloudwatch.storage-resolution=5"))
            .anySatisfy(p -> assertThat(p).contains("unknown key cloudwatch.batchsize")));
  }

  @Test
  void rejectsDimensionNamesTheApiRefuses() {
    for (String bad : List.of(":Team=x", "Tëam=x", "Team")) {
      assertThatThrownBy(() -> config(Map.of("cloudwatch.dimensions", bad)).validate())
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("cloudwatch.dimensions=" + bad);
    }
  }

  @Test
  void rejectsMoreThanThirtyDimensions() {
    StringBuilder dimensions = new StringBuilder();
    for (int i = 0; i < 28; i++) {
      dimensions.append(i == 0 ? "" : ",").append("D").append(i).append("=v");
    }
    Map<String, String> values = new HashMap<>(Map.of("cloudwatch.dimensions", dimensions.toString()));
    config(values).validate();
    values.put("cloudwatch.run-id-dimension", "true");

    assertThatThrownBy(() -> config(values).validate()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 30 dimensions but these settings give 31");
  }

  @Test
  void isFoundByServiceLoaderUnderItsName() {
    ListenerProvider provider = ServiceLoader.load(ListenerProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("cloudwatch")).findFirst().orElseThrow();

    Listener listener = provider.create(ConfigSource.of(Map.of("cloudwatch.region", "eu-west-1")));
    assertThat(listener).isInstanceOf(CloudWatchListener.class);
    listener.close();
    assertThatThrownBy(() -> provider.create(ConfigSource.of(Map.of("cloudwatch.step", "zero"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cloudwatch.step=zero");
  }
}
