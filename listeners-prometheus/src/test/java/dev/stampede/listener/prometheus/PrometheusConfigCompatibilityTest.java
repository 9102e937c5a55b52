package dev.stampede.listener.prometheus;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ConfigCompatibilityKit;
import java.nio.file.Path;
import java.util.Map;

class PrometheusConfigCompatibilityTest extends ConfigCompatibilityKit {

  @Override
  protected BackendConfig config(ConfigSource source) {
    return PrometheusConfig.of(source);
  }

  @Override
  protected Map<String, String> exampleValues() {
    return Map.ofEntries(
        Map.entry("server", "false"),
        Map.entry("host", "0.0.0.0"),
        Map.entry("port", "9999"),
        Map.entry("scrape-interval", "15s"),
        Map.entry("linger", "5s"),
        Map.entry("linger-scrapes", "2"),
        Map.entry("buckets", "10ms,100ms"),
        Map.entry("max-endpoints", "50"),
        Map.entry("max-errors", "10"),
        Map.entry("pushgateway.url", "http://127.0.0.1:9091"),
        Map.entry("pushgateway.job", "perf"),
        Map.entry("pushgateway.interval", "5s"),
        Map.entry("pushgateway.retries", "1"),
        Map.entry("pushgateway.retry-backoff", "1s"),
        Map.entry("pushgateway.timeout", "2s"),
        Map.entry("pushgateway.username", "alice"),
        Map.entry("pushgateway.password", "s3cret"),
        Map.entry("remote-write.url", "http://127.0.0.1:9090/api/v1/write"),
        Map.entry("remote-write.interval", "5s"),
        Map.entry("remote-write.retries", "1"),
        Map.entry("remote-write.timeout", "2s"),
        Map.entry("remote-write.username", "bob"),
        Map.entry("remote-write.password", "t0ps3cret"),
        Map.entry("flush-timeout", "3s"));
  }

  @Override
  protected Path readme() {
    return Path.of("README.md");
  }
}
