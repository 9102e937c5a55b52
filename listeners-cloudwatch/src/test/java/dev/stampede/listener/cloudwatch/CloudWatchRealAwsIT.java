package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stampede.ExportReport;
import dev.stampede.config.ConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Opt-in: sends a short simulated run to a real AWS account, so the real service accepts what the
 * fake accepts (Values/Counts, escaped dimensions, batch sizes, rpc-v2-cbor, gzip). Runs only with
 * {@code STAMPEDE_AWS_IT=true} and credentials from the SDK's default chain; region from
 * {@code AWS_REGION} (default us-east-1). Needs {@code cloudwatch:PutMetricData}; costs a few
 * requests and creates custom metrics in namespace {@code stampede-it/loadtests}.
 */
class CloudWatchRealAwsIT {

  @BeforeEach
  void requireOptInAndCredentials() {
    assumeTrue("true".equals(System.getenv("STAMPEDE_AWS_IT")),
        "set STAMPEDE_AWS_IT=true (and AWS credentials) to run the test against a real AWS account");
    boolean credentials;
    try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
      provider.resolveCredentials();
      credentials = true;
    } catch (RuntimeException e) {
      credentials = false;
    }
    assumeTrue(credentials, "STAMPEDE_AWS_IT=true but the SDK's default chain found no AWS credentials");
  }

  @Test
  void realCloudWatchAcceptsEveryDatum() {
    Map<String, String> values = new HashMap<>();
    values.put("cloudwatch.namespace", "stampede-it/loadtests");
    values.put("cloudwatch.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
    values.put("cloudwatch.batchSize", "20");
    values.put("cloudwatch.flushTimeout", "30s");
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try (CloudWatchListener listener = CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(values)))
        .clock(run.clock).build()) {
      run.run(listener, 20, 500, List.of("/", "/users/[id]", "/unicodé-名前-✓", "/a b,c=d"));
      report = listener.report();
    }
    assertThat(report.failed()).isZero();
    assertThat(report.details()).containsEntry("datums_failed", 0L);
    assertThat((long) report.details().get("datums_sent")).isPositive();
  }
}
