package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stampede.ExportReport;
import dev.stampede.config.ConfigSource;
import dev.stampede.kpi.Kpi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * Opt-in: sends a short simulated run to a real AWS account, so the real service accepts what the
 * fake accepts (Values/Counts, escaped dimensions, batch sizes, rpc-v2-cbor, gzip). Runs only with
 * {@code STAMPEDE_AWS_IT=true} and credentials from the SDK's default chain; region from
 * {@code AWS_REGION} (default us-east-1). Needs {@code cloudwatch:PutMetricData}; costs a few
 * requests and creates custom metrics in namespace {@code stampede-it/loadtests}. The alarm test
 * also needs {@code cloudwatch:PutMetricAlarm} and {@code cloudwatch:DeleteAlarms}: it deletes the
 * alarms it created, so they cost a few minutes of alarm time at most.
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
    values.put("cloudwatch.batch-size", "20");
    values.put("cloudwatch.flush-timeout", "30s");
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

  @Test
  void realCloudWatchAcceptsTheAlarmsOfAKpiFile(@TempDir Path dir) throws Exception {
    String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    Path kpiFile = Files.writeString(dir.resolve("kpi.yaml"), """
        kpis:
          "GET /": { p99.9: 500, mean: 100, max: 2s, rps: 1, error_rate: 10, failures: 1000 }
          total: { p90: 400 }
        """);
    Map<String, String> values = new HashMap<>();
    values.put("cloudwatch.namespace", "stampede-it/loadtests");
    values.put("cloudwatch.region", region);
    values.put("cloudwatch.alarms", "true");
    values.put("kpi.file", kpiFile.toString());
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try (CloudWatchListener listener = CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(values)))
        .clock(run.clock).build()) {
      run.run(listener, 10, 100, List.of("/"));
      report = listener.report();
    } finally {
      List<String> names = List.of("p99.9", "mean", "max", "rps", "error_rate", "failures").stream()
          .map(metric -> KpiAlarms.alarmName("stampede-it/loadtests", Kpi.of("GET /", metric, 1))).collect(
              java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
      names.add(KpiAlarms.alarmName("stampede-it/loadtests", Kpi.of("total", "p90", 1)));
      try (CloudWatchAsyncClient client = CloudWatchAsyncClient.builder().region(Region.of(region)).build()) {
        client.deleteAlarms(r -> r.alarmNames(names)).get();
      }
    }
    assertThat(report.details()).containsEntry("alarms_created", 7L).containsEntry("alarms_failed", 0L);
  }
}
