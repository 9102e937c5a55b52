package dev.stampede.listener.cloudwatch;

import dev.stampede.Listener;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ListenerCompatibilityKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The engine's listener test kit against {@link FakeCloudWatch}, with the real SDK. Each test gets
 * a fresh fake, so its datums are that run's; the run id is therefore not needed as a dimension.
 */
class CloudWatchListenerCompatibilityTest extends ListenerCompatibilityKit {

  /** The kit's hostile endpoint names, for the naming tests. */
  static final List<String> HOSTILE = HOSTILE_NAMES;

  private FakeCloudWatch fake;

  @BeforeEach
  void startFake() throws Exception {
    fake = new FakeCloudWatch();
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  @Override
  protected Listener createListener() {
    ConfigSource config = ConfigSource.of(Map.of(
        "cloudwatch.region", "eu-west-1",
        "cloudwatch.endpoint", fake.endpoint().toString(),
        "cloudwatch.batch-size", "20",
        "cloudwatch.flush-timeout", "30s"));
    return CloudWatchListener.builder(CloudWatchConfig.of(config))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDKIT", "kit-secret")))
        .retryBaseDelay(Duration.ofMillis(5))
        .build();
  }

  @Override
  protected Listener createListenerForSilentBackend(String url) {
    ConfigSource config = ConfigSource.of(Map.of(
        "cloudwatch.region", "eu-west-1",
        "cloudwatch.endpoint", url,
        "cloudwatch.max-attempts", "2",
        "cloudwatch.flush-timeout", "2s"));
    return CloudWatchListener.builder(CloudWatchConfig.of(config))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDKIT", "kit-secret")))
        .retryBaseDelay(Duration.ofMillis(5))
        .build();
  }

  @Override
  protected long backendRequestCount(String runId) {
    return fake.endpointSum("RequestCount");
  }

  @Override
  protected long backendFailureCount(String runId) {
    return fake.endpointSum("FailureCount");
  }
}
