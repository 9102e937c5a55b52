package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stampede.ExportReport;
import dev.stampede.RequestResult;
import dev.stampede.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code cloudwatch.alarms=true} with the real AWS SDK against {@link FakeCloudWatch}: the
 * PutMetricAlarm calls as they arrive on the wire, decoded from CBOR, for a KPI file with every
 * metric kind, and what happens when the credentials may not create alarms.
 */
class CloudWatchAlarmsWireTest {

  static final String KPI_YAML = """
      kpis:
        "GET /store/inventory": { p90: 50, p99.9: 400, mean: 30, max: 2s, rps: 5, error_rate: 1.5, failures: 3, count: 100 }
        /search: { percentile_95: 250ms }
        /serach: { p99: 300 }
        total: { p99: 800, error_rate: 5 }
        "POST /cart": { p50: 20, skip_until: 2999-01-01, skip_reason: "cart rebuild, JIRA-7" }
      """;

  @TempDir
  Path dir;

  FakeCloudWatch fake;
  Path kpiFile;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeCloudWatch();
    kpiFile = Files.writeString(dir.resolve("kpi.yaml"), KPI_YAML);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  CloudWatchListener listener(SimulatedRun run, Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    values.put("cloudwatch.region", "us-east-1");
    values.put("cloudwatch.endpoint", fake.endpoint().toString());
    values.put("cloudwatch.service", "shop");
    values.put("cloudwatch.environment", "staging");
    values.put("cloudwatch.max-attempts", "2");
    // The flush timeout (and each call's timeout) only bounds a fake that stopped answering: the
    // first AWS SDK calls in a cold JVM on a busy machine can take seconds, and datums a call
    // timed out on would be lost. Tests of the timeout itself set their own.
    values.put("cloudwatch.flush-timeout", "30s");
    values.put("cloudwatch.alarms", "true");
    values.put("kpi.file", kpiFile.toAbsolutePath().toString());
    values.putAll(settings);
    return CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(values)))
        .clock(run.clock)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            CloudWatchListenerWireTest.ACCESS_KEY, CloudWatchListenerWireTest.SECRET_KEY)))
        .retryBaseDelay(Duration.ofMillis(5))
        .alarmSpacing(Duration.ZERO)
        .build();
  }

  /** 20 s of GET /store/inventory, GET /search and POST /cart, every 10th request failing. */
  static void drive(SimulatedRun run, CloudWatchListener listener) {
    listener.onStart(run.run);
    for (int second = 0; second < 20; second++) {
      List<RequestResult> batch = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String[] endpoint = switch (i % 3) {
          case 0 -> new String[] {"GET", "/store/inventory"};
          case 1 -> new String[] {"GET", "/search"};
          default -> new String[] {"POST", "/cart"};
        };
        batch.add(run.result(endpoint[0], endpoint[1], i % 10 == 9));
        run.requests++;
      }
      listener.onResults(batch);
      listener.onTick(SimulatedRun.snapshot(run.clock.millis(), 5));
      run.clock.advance(Duration.ofSeconds(1));
    }
    listener.onStop(SimulatedRun.summary(run.run, run.requests, 0));
  }

  static Map<String, JsonNode> byName(List<JsonNode> alarms) {
    Map<String, JsonNode> map = new TreeMap<>();
    alarms.forEach(a -> map.put(a.path("AlarmName").asText(), a));
    return map;
  }

  static Set<String> dimensions(JsonNode node) {
    Set<String> set = new TreeSet<>();
    node.path("Dimensions").forEach(d -> set.add(d.path("Name").asText() + "=" + d.path("Value").asText()));
    return set;
  }

  @Test
  void createsOneAlarmPerKpiWithTheStatisticItsMetricNeeds() {
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try (CloudWatchListener listener = listener(run, Map.of())) {
      drive(run, listener);
      report = listener.report();
    }
    Map<String, JsonNode> alarms = byName(fake.accepted("PutMetricAlarm"));
    String ns = "staging/shop/loadtests";
    assertThat(alarms.keySet()).containsExactlyInAnyOrder(
        ns + " GET /store/inventory p90", ns + " GET /store/inventory p99.9", ns + " GET /store/inventory mean",
        ns + " GET /store/inventory max", ns + " GET /store/inventory rps", ns + " GET /store/inventory error_rate",
        ns + " GET /store/inventory failures", ns + " /search percentile_95", ns + " /serach p99",
        ns + " total p99", ns + " total error_rate");
    assertThat(report.details()).containsEntry("alarms_created", 11L).containsEntry("alarms_failed", 0L)
        .containsEntry("alarms_not_created", 2L).containsEntry("alarm_period_s", 10L);

    Set<String> inventory = Set.of("Name=/store/inventory", "Method=GET", "Service=shop", "Environment=staging");
    JsonNode p90 = alarms.get(ns + " GET /store/inventory p90");
    assertThat(p90.path("Namespace").asText()).isEqualTo(ns);
    assertThat(p90.path("MetricName").asText()).isEqualTo("ResponseTime");
    assertThat(p90.path("ExtendedStatistic").asText()).isEqualTo("p90");
    assertThat(p90.has("Statistic")).isFalse();
    assertThat(dimensions(p90)).isEqualTo(inventory);
    assertThat(p90.path("Period").asInt()).isEqualTo(10);
    assertThat(p90.path("EvaluationPeriods").asInt()).isEqualTo(1);
    assertThat(p90.path("Threshold").asDouble()).isEqualTo(50.0);
    assertThat(p90.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    assertThat(p90.path("TreatMissingData").asText()).isEqualTo("notBreaching");
    assertThat(p90.path("AlarmDescription").asText()).contains("GET /store/inventory p90 <= 50 ms")
        .contains(kpiFile.toAbsolutePath().toString());

    assertThat(alarms.get(ns + " GET /store/inventory p99.9").path("ExtendedStatistic").asText()).isEqualTo("p99.9");
    assertThat(alarms.get(ns + " GET /store/inventory mean").path("Statistic").asText()).isEqualTo("Average");
    JsonNode max = alarms.get(ns + " GET /store/inventory max");
    assertThat(max.path("Statistic").asText()).isEqualTo("Maximum");
    assertThat(max.path("Threshold").asDouble()).isEqualTo(2000.0);
    JsonNode failures = alarms.get(ns + " GET /store/inventory failures");
    assertThat(failures.path("MetricName").asText()).isEqualTo("FailureCount");
    assertThat(failures.path("Statistic").asText()).isEqualTo("Sum");
    assertThat(failures.path("Threshold").asDouble()).isEqualTo(3.0);

    JsonNode errorRate = alarms.get(ns + " GET /store/inventory error_rate");
    assertThat(errorRate.has("MetricName")).isFalse();
    assertThat(errorRate.has("Period")).isFalse();
    assertThat(errorRate.path("Threshold").asDouble()).isEqualTo(1.5);
    assertThat(errorRate.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    Map<String, JsonNode> queries = new TreeMap<>();
    errorRate.path("Metrics").forEach(q -> queries.put(q.path("Id").asText(), q));
    assertThat(queries.keySet()).containsExactly("failures", "kpi", "requests");
    assertThat(queries.get("kpi").path("Expression").asText()).isEqualTo("100*failures/requests");
    assertThat(queries.get("kpi").path("ReturnData").asBoolean()).isTrue();
    for (String id : List.of("failures", "requests")) {
      JsonNode stat = queries.get(id).path("MetricStat");
      assertThat(queries.get(id).path("ReturnData").asBoolean()).isFalse();
      assertThat(stat.path("Stat").asText()).isEqualTo("Sum");
      assertThat(stat.path("Period").asInt()).isEqualTo(10);
      assertThat(stat.path("Metric").path("Namespace").asText()).isEqualTo(ns);
      assertThat(dimensions(stat.path("Metric"))).isEqualTo(inventory);
    }
    assertThat(queries.get("failures").path("MetricStat").path("Metric").path("MetricName").asText()).isEqualTo("FailureCount");
    assertThat(queries.get("requests").path("MetricStat").path("Metric").path("MetricName").asText()).isEqualTo("RequestCount");

    JsonNode rps = alarms.get(ns + " GET /store/inventory rps");
    assertThat(rps.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
    assertThat(rps.path("Threshold").asDouble()).isEqualTo(5.0);
    List<String> expressions = new ArrayList<>();
    rps.path("Metrics").forEach(q -> {
      if (q.has("Expression")) {
        expressions.add(q.path("Expression").asText());
      } else {
        assertThat(q.path("MetricStat").path("Metric").path("MetricName").asText()).isEqualTo("RequestCount");
      }
    });
    assertThat(expressions).containsExactly("requests/10");

    assertThat(dimensions(alarms.get(ns + " total p99"))).containsExactly("Environment=staging", "Service=shop");
    assertThat(dimensions(alarms.get(ns + " /search percentile_95")))
        .containsExactlyInAnyOrder("Name=/search", "Method=GET", "Service=shop", "Environment=staging");
    assertThat(alarms.get(ns + " /search percentile_95").path("ExtendedStatistic").asText()).isEqualTo("p95");
    JsonNode typo = alarms.get(ns + " /serach p99");
    assertThat(dimensions(typo)).containsExactlyInAnyOrder("Name=/serach", "Service=shop", "Environment=staging");
    assertThat(typo.path("AlarmDescription").asText()).contains("No request of the run reached '/serach'");
  }

  @Test
  void everyAlarmOfAReachedEndpointWatchesAMetricTheListenerPublishes() {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.run-id-dimension", "true",
        "cloudwatch.dimensions", "Team=perf"))) {
      drive(run, listener);
    }
    Set<String> published = fake.datums().stream()
        .map(d -> d.path("MetricName").asText() + dimensions(d)).collect(Collectors.toSet());
    List<String> watched = new ArrayList<>();
    for (JsonNode alarm : fake.accepted("PutMetricAlarm")) {
      if (alarm.path("AlarmName").asText().contains("/serach")) {
        continue;
      }
      if (alarm.has("MetricName")) {
        watched.add(alarm.path("MetricName").asText() + dimensions(alarm));
      }
      alarm.path("Metrics").forEach(q -> {
        if (q.has("MetricStat")) {
          JsonNode metric = q.path("MetricStat").path("Metric");
          watched.add(metric.path("MetricName").asText() + dimensions(metric));
        }
      });
    }
    assertThat(watched).hasSize(12).allSatisfy(w -> assertThat(published).contains(w));
    assertThat(watched).allSatisfy(w -> assertThat(w).contains("RunId=sim-run-1").contains("Team=perf"));
  }

  @Test
  void sendsNoAlarmForSkippedKpisOrCount() {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of())) {
      drive(run, listener);
    }
    assertThat(fake.received()).filteredOn(r -> r.operation().equals("PutMetricAlarm"))
        .extracting(r -> r.body().path("AlarmName").asText())
        .noneMatch(name -> name.contains("POST /cart") || name.endsWith(" count"));
  }

  @Test
  void aRunWhoseCredentialsMayNotCreateAlarmsCountsThemAndLosesNoData() {
    fake.failEvery("PutMetricAlarm", FakeCloudWatch.Fault.ACCESS_DENIED);
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try {
      System.setErr(capture);
      System.setOut(capture);
      try (CloudWatchListener listener = listener(run, Map.of())) {
        drive(run, listener);
        report = listener.report();
      }
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    assertThat(report.details()).containsEntry("alarms_created", 0L).containsEntry("alarms_failed", 11L);
    assertThat(report.failed()).isZero();
    assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests);
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("could not be created or updated").contains("cloudwatch:PutMetricAlarm");
    assertThat(logs.split("could not be created or updated", -1)).as("warned once, then debug").hasSize(2);
    assertThat(logs).doesNotContain(CloudWatchListenerWireTest.SECRET_KEY)
        .doesNotContain(CloudWatchListenerWireTest.ACCESS_KEY);
  }

  @Test
  void alarmsStillWaitingWhenTheFlushTimeoutRunsOutAreCountedAsFailed() throws Exception {
    // The AWS SDK's first calls in a JVM took seconds on a loaded 2-core machine (class loading,
    // JIT): made within the short timeout below, they timed out. Make them first, elsewhere.
    try (FakeCloudWatch elsewhere = new FakeCloudWatch()) {
      SimulatedRun warmUp = new SimulatedRun();
      try (CloudWatchListener listener = listener(warmUp, Map.of("cloudwatch.endpoint",
          elsewhere.endpoint().toString()))) {
        drive(warmUp, listener);
      }
    }
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    // One call every 10 minutes: only the first alarm can go out within the 2 s flush timeout.
    try (CloudWatchListener listener = CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(Map.of(
            "cloudwatch.region", "us-east-1", "cloudwatch.endpoint", fake.endpoint().toString(),
            "cloudwatch.flush-timeout", "2s", "cloudwatch.alarms", "true",
            "kpi.file", kpiFile.toAbsolutePath().toString()))))
        .clock(run.clock)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            CloudWatchListenerWireTest.ACCESS_KEY, CloudWatchListenerWireTest.SECRET_KEY)))
        .alarmSpacing(Duration.ofMinutes(10))
        .build()) {
      drive(run, listener);
      report = listener.report();
    }
    assertThat(report.details()).containsEntry("alarms_created", 1L).containsEntry("alarms_failed", 10L);
    assertThat(fake.accepted("PutMetricAlarm")).hasSize(1);
    assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests);
  }
}
