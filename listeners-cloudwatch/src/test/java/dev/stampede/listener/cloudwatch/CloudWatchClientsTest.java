package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

class CloudWatchClientsTest {

  /** Nothing listens on port 1 of the loopback: a call that goes out is refused at once. */
  private static final CloudWatchConfig CONFIG = CloudWatchConfig.of(ConfigSource.of(Map.of(
      "cloudwatch.region", "eu-west-1", "cloudwatch.endpoint", "http://127.0.0.1:1",
      "cloudwatch.max-attempts", "2", "cloudwatch.flush-timeout", "5s")));

  private static final PutMetricDataRequest REQUEST = PutMetricDataRequest.builder().namespace("perf")
      .metricData(MetricDatum.builder().metricName("RequestCount").value(1.0).build()).build();

  private static CloudWatchAsyncClient client(AtomicInteger httpRequests) {
    return CloudWatchClients.build(CONFIG, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
        Duration.ofMillis(1), httpRequests::incrementAndGet);
  }

  @Test
  void takesRegionAndEndpointFromTheConfig() {
    try (CloudWatchAsyncClient client = client(new AtomicInteger())) {
      assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
      assertThat(client.serviceClientConfiguration().endpointOverride()).hasValueSatisfying(
          uri -> assertThat(uri.toString()).isEqualTo("http://127.0.0.1:1"));
    }
  }

  @Test
  void rehearsesACallOnTheLoopbackWithoutCountingItButCountsEveryAttemptOfARealOne() {
    AtomicInteger httpRequests = new AtomicInteger();
    try (CloudWatchAsyncClient client = client(httpRequests)) {
      assertThat(CloudWatchClients.rehearse(client, REQUEST)).as("answered by the stand-in, not refused by port 1").isTrue();
      assertThat(httpRequests).hasValue(0);

      assertThatThrownBy(() -> client.putMetricData(REQUEST).get()).isInstanceOf(ExecutionException.class);
      assertThat(httpRequests).hasValue(CONFIG.maxAttempts());
    }
  }
}
