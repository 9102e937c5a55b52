package dev.stampede.listener.influx;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ConfigCompatibilityKit;
import java.nio.file.Path;
import java.util.Map;

class InfluxConfigCompatibilityTest extends ConfigCompatibilityKit {

  @Override
  protected BackendConfig config(ConfigSource source) {
    return InfluxConfig.from(source);
  }

  @Override
  protected Map<String, String> exampleValues() {
    return Map.ofEntries(
        Map.entry("url", "http://influx.example:8087"),
        Map.entry("db", "perf"),
        Map.entry("retention-policy", "two_weeks"),
        Map.entry("user", "alice"),
        Map.entry("password", "s3cret"),
        Map.entry("token", "t0ken"),
        Map.entry("create-database", "false"),
        Map.entry("step", "5s"),
        Map.entry("mode", "raw"),
        Map.entry("gzip", "false"),
        Map.entry("batch-size", "100"),
        Map.entry("buffer-size", "1000"),
        Map.entry("timeout", "3s"),
        Map.entry("retry-backoff", "200ms"),
        Map.entry("retry-max-backoff", "9s"),
        Map.entry("flush-timeout", "5s"),
        Map.entry("max-endpoints", "50"));
  }

  @Override
  protected Path readme() {
    return Path.of("README.md");
  }
}
