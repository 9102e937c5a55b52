package dev.stampede.store.s3;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ConfigCompatibilityKit;
import java.nio.file.Path;
import java.util.Map;

/** The S3 store's settings pass the listeners' configuration kit: documented, known, settable from the environment. */
class S3StoreConfigCompatibilityTest extends ConfigCompatibilityKit {

  @Override
  protected BackendConfig config(ConfigSource source) {
    return S3StoreConfig.of(source);
  }

  @Override
  protected Map<String, String> exampleValues() {
    return Map.of(
        "region", "eu-west-1",
        "endpoint", "http://127.0.0.1:9000",
        "path-style", "true",
        "conditional-writes", "false");
  }

  @Override
  protected Path readme() {
    return Path.of("README.md");
  }
}
