package dev.stampede.listener.cloudwatch;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ConfigCompatibilityKit;
import java.nio.file.Path;
import java.util.Map;

class CloudWatchConfigCompatibilityTest extends ConfigCompatibilityKit {

  @Override
  protected BackendConfig config(ConfigSource source) {
    return CloudWatchConfig.of(source);
  }

  @Override
  protected Map<String, String> exampleValues() {
    return Map.ofEntries(
        Map.entry("namespace", "perf/loadtests"),
        Map.entry("service", "shop"),
        Map.entry("environment", "staging"),
        Map.entry("step", "30s"),
        Map.entry("batch-size", "500"),
        Map.entry("storage-resolution", "60"),
        Map.entry("dimensions", "Team=payments"),
        Map.entry("run-id-dimension", "true"),
        Map.entry("response-size", "true"),
        Map.entry("region", "eu-west-1"),
        Map.entry("profile", "perf"),
        Map.entry("endpoint", "https://monitoring.eu-west-1.amazonaws.com"),
        Map.entry("flush-timeout", "5s"),
        Map.entry("max-attempts", "3"),
        Map.entry("price-per-1000-requests", "0.02"),
        Map.entry("max-endpoints", "50"),
        Map.entry("dashboard", "perf-board"),
        Map.entry("alarms", "true"));
  }

  @Override
  protected Path readme() {
    return Path.of("README.md");
  }
}
