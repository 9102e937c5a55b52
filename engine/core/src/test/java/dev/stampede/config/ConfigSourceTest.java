package dev.stampede.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigSourceTest {

  @ParameterizedTest
  @CsvSource({
      "s3.endpoint, s3.endpoint",
      "S3_ENDPOINT, s3.endpoint",
      "STAMPEDE_S3_ENDPOINT, s3.endpoint",
      "s3Endpoint, s3.endpoint",
      "S3X_ENDPOINT, s3x.endpoint",
      "influx.batchSize, influx.batch.size",
      "STAMPEDE_INFLUX_BATCH_SIZE, influx.batch.size",
      "cloudwatch.price-per-1000-requests, cloudwatch.price.per.1000.requests",
      "STAMPEDE_CLOUDWATCH_PRICE_PER_1000_REQUESTS, cloudwatch.price.per.1000.requests",
      "prometheus.http2.enabled, prometheus.http2.enabled"})
  void keepsDigitsWithTheirWord(String spelling, String canonical) {
    assertThat(ConfigSource.canonical(spelling)).isEqualTo(canonical);
  }

  @Test
  void namesTheVariableOfAKeyWithDigitsAsItIsRead() {
    assertThat(ConfigSource.environmentVariable("s3.path-style")).isEqualTo("STAMPEDE_S3_PATH_STYLE");
    assertThat(ConfigSource.keyOfEnvironmentVariable("STAMPEDE_S3_PATH_STYLE")).isEqualTo("s3.path.style");
    assertThat(ConfigSource.keyOfEnvironmentVariable("PATH")).isNull();
  }

  @Test
  void takesOnlyTheEnvironmentVariablesUnderAKnownPrefix() {
    Map<String, String> settings = ConfigSource.settingsInEnvironment(Map.of("STAMPEDE_S3_ENDPOINT", "e",
        "STAMPEDE_INFLUX_URL", "u", "STAMPEDE_DEBUG", "1", "STAMPEDE_S3X_Y", "no", "HOME", "/root"), Set.of("s3", "influx"));

    assertThat(settings).containsExactly(Map.entry("STAMPEDE_INFLUX_URL", "u"), Map.entry("STAMPEDE_S3_ENDPOINT", "e"));
    assertThat(ConfigSource.of(settings).get("s3.endpoint")).isEqualTo("e");
  }

  @Test
  void suggestsTheClosestKnownKeyAndHowToSetIt() {
    List<String> known = List.of("influx.url", "influx.batch-size", "influx.db");

    assertThat(ConfigSource.unknownKey("influx.batchsize", known)).isEqualTo(
        "unknown key influx.batchsize: did you mean influx.batch-size? Set it with --set influx.batch-size=..."
            + " or STAMPEDE_INFLUX_BATCH_SIZE");
    assertThat(ConfigSource.unknownKey("STAMPEDE_INFLUX_DBB", known)).isEqualTo(
        "unknown key STAMPEDE_INFLUX_DBB, the environment variable of influx.dbb: did you mean influx.db?"
            + " Set it with STAMPEDE_INFLUX_DB or --set influx.db=...");
    assertThat(ConfigSource.unknownKey("influx.retention-policy", known)).isEqualTo(
        "unknown key influx.retention-policy (known: influx.batch-size, influx.db, influx.url)");
  }
}
