package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusConfigTest {

  private static final String SECRET = "pa55-w0rd-never-shown";

  private static PrometheusConfig config(Map<String, String> values) {
    return PrometheusConfig.of(ConfigSource.of(values));
  }

  @Test
  void defaultsServeOnLoopbackWithoutPushing() {
    PrometheusConfig config = config(Map.of());
    config.validate();

    assertThat(config.server()).isTrue();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(9646);
    assertThat(config.scrapeInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.linger()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.lingerScrapes()).isEqualTo(1);
    assertThat(config.buckets()).hasSize(11).startsWith(Duration.ofMillis(5)).endsWith(Duration.ofSeconds(10));
    assertThat(config.maxEndpoints()).isEqualTo(200);
    assertThat(config.maxErrors()).isEqualTo(50);
    assertThat(config.pushgatewayUrl()).isNull();
    assertThat(config.pushgatewayJob()).isEqualTo("stampede");
    assertThat(config.pushgatewayInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.pushgatewayRetries()).isEqualTo(3);
  }

  @Test
  void lingersTwoScrapeIntervalsUnlessSet() {
    assertThat(config(Map.of("prometheus.scrape-interval", "1s")).linger()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config(Map.of("prometheus.scrape-interval", "1s", "prometheus.linger", "0s")).linger()).isZero();
  }

  @Test
  void parsesBucketsAsDurations() {
    assertThat(config(Map.of("prometheus.buckets", "5ms, 10ms,250ms,1.5s")).buckets())
        .containsExactly(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(250), Duration.ofMillis(1500));
  }

  @Test
  void rejectsBucketsOutOfOrderOrMalformed() {
    assertThatThrownBy(() -> config(Map.of("prometheus.buckets", "10ms,5ms")).buckets())
        .isInstanceOf(ConfigException.class)
        .hasMessage("prometheus.buckets=10ms,5ms must be in strictly increasing order");
    assertThatThrownBy(() -> config(Map.of("prometheus.buckets", "10ms,fast")).buckets())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prometheus.buckets=10ms,fast must be a comma-separated list of durations")
        .hasMessageContaining("'fast'");
    assertThatThrownBy(() -> config(Map.of("prometheus.buckets", "0ms,1s")).buckets())
        .isInstanceOf(ConfigException.class).hasMessageContaining("must hold durations > 0");
  }

  @Test
  void reportsEveryProblemAtOnceIncludingUnknownKeys() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(Map.of(
        "prometheus.port", "70000",
        "prometheus.linger", "soon",
        "prometheus.max-endpoints", "0",
        "prometheus.pushgateway.url", "ftp://host",
        "prometheus.prot", "9000",
        "prometheus.pushgateway.intervall", "5s",
        "influx.url", "http://elsewhere")).validate());

    assertThat(e.problems()).containsExactly(
        "prometheus.port=70000 must be between 0 and 65535",
        "prometheus.linger=soon must be a duration like 500ms, 30s, 5m, 1h or 1h30m",
        "prometheus.max-endpoints=0 must be between 1 and 100000",
        "prometheus.pushgateway.url=ftp://host must be an http or https URL with a host and no query, like http://127.0.0.1:9091",
        "unknown key prometheus.prot: did you mean prometheus.port? Set it with --set prometheus.port=... or"
            + " STAMPEDE_PROMETHEUS_PORT",
        "unknown key prometheus.pushgateway.intervall: did you mean prometheus.pushgateway.interval? Set it with"
            + " --set prometheus.pushgateway.interval=... or STAMPEDE_PROMETHEUS_PUSHGATEWAY_INTERVAL");
  }

  @Test
  void rejectsAConfigThatExportsNothing() {
    assertThatThrownBy(() -> config(Map.of("prometheus.server", "false")).validate())
        .isInstanceOf(ConfigException.class)
        .hasMessage("prometheus.server=false needs prometheus.pushgateway.url or prometheus.remote-write.url, or nothing is exported");
  }

  @Test
  void acceptsPushOnly() {
    PrometheusConfig config = config(Map.of("prometheus.server", "off",
        "prometheus.pushgateway.url", "https://push.example:9091/prefix/"));
    config.validate();
    assertThat(config.pushgatewayUrl()).isEqualTo(URI.create("https://push.example:9091/prefix/"));
  }

  @Test
  void rejectsPushIntervalsBelowOneSecond() {
    assertThatThrownBy(() -> config(Map.of("prometheus.pushgateway.interval", "500ms")).pushgatewayInterval())
        .isInstanceOf(ConfigException.class).hasMessage("prometheus.pushgateway.interval=500ms must be at least 1s");
  }

  @Test
  void neverShowsThePushgatewayPasswordInMessages() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(Map.of(
        "prometheus.pushgateway.password", SECRET,
        "prometheus.pushgateway.url", "http://user:" + SECRET + "@127.0.0.1:9091")).validate());

    assertThat(e.problems()).containsExactly(
        "prometheus.pushgateway.url must not contain credentials; use prometheus.pushgateway.username and "
            + "prometheus.pushgateway.password",
        "prometheus.pushgateway.username and prometheus.pushgateway.password must be set together");
    assertThat(e.getMessage()).doesNotContain(SECRET);
    assertThat(config(Map.of()).describe("pushgateway.password", SECRET)).isEqualTo("prometheus.pushgateway.password");
  }

  @Test
  void requiresAUrlForPushgatewayCredentials() {
    assertThat(catchThrowableOfType(ConfigException.class, () -> config(Map.of(
        "prometheus.pushgateway.username", "ci", "prometheus.pushgateway.password", SECRET)).validate()).problems())
        .isEqualTo(List.of("prometheus.pushgateway.username is set but prometheus.pushgateway.url is not"));
  }
}
