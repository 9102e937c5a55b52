package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.ExportReport;
import dev.stampede.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The listener with the real AWS SDK against {@link FakeCloudWatch}: what goes over the wire, and
 * what happens when CloudWatch throttles, fails, rejects or is not there.
 */
class CloudWatchListenerWireTest {

  static final String ACCESS_KEY = "AKIAFAKEFAKEFAKE7777";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETSECRET";
  static final List<String> ENDPOINTS = List.of("/", "/users/[id]", "/search", "/cart", "/checkout",
      "/login", "/logout", "/static/app.js");

  FakeCloudWatch fake;

  @BeforeEach
  void startFake() throws Exception {
    fake = new FakeCloudWatch();
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  CloudWatchListener listener(SimulatedRun run, java.net.URI endpoint, Map<String, String> settings) {
    return listener(run, endpoint, settings, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
  }

  CloudWatchListener listener(SimulatedRun run, java.net.URI endpoint, Map<String, String> settings,
      AwsCredentialsProvider credentials) {
    Map<String, String> values = new HashMap<>();
    values.put("cloudwatch.region", "us-east-1");
    values.put("cloudwatch.endpoint", endpoint.toString());
    values.put("cloudwatch.service", "shop");
    values.put("cloudwatch.environment", "staging");
    values.put("cloudwatch.max-attempts", "4");
    // The flush timeout (and each call's timeout) only bounds a fake that stopped answering: the
    // first AWS SDK calls in a cold JVM on a busy machine can take seconds, and datums a call
    // timed out on would be lost. Tests of the timeout itself set their own.
    values.put("cloudwatch.flush-timeout", "30s");
    values.putAll(settings);
    return CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(values)))
        .clock(run.clock)
        .credentialsProvider(credentials)
        .retryBaseDelay(Duration.ofMillis(5))
        .build();
  }

  CloudWatchListener listener(SimulatedRun run, Map<String, String> settings) {
    return listener(run, fake.endpoint(), settings);
  }

  @Test
  void sendsCountsThatAddUpExactlyToTheEnginesTotals() {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.batch-size", "20"))) {
      run.run(listener, 60, 700, ENDPOINTS);

      assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests);
      assertThat(fake.endpointSum("FailureCount")).isEqualTo(run.failures);
      long totalRows = (long) fake.datums().stream()
          .filter(d -> d.path("MetricName").asText().equals("RequestCount") && FakeCloudWatch.dimension(d, "Name") == null)
          .mapToDouble(d -> d.path("Value").asDouble()).sum();
      assertThat(totalRows).isEqualTo(run.requests);
      assertThat(listener.report().failed()).isZero();
    }
  }

  @Test
  void everyCallIsASignedRpcV2CborRequestWithinTheLimits() {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.batch-size", "20"))) {
      run.run(listener, 60, 700, ENDPOINTS);
    }
    List<FakeCloudWatch.Received> calls = fake.acceptedPutMetricData();
    assertThat(calls).isNotEmpty();
    for (FakeCloudWatch.Received call : calls) {
      assertThat(call.header("Content-Type")).isEqualTo("application/cbor");
      assertThat(call.header("Smithy-Protocol")).isEqualTo("rpc-v2-cbor");
      assertThat(call.header("Authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
          .contains("/us-east-1/monitoring/aws4_request")
          .contains("SignedHeaders=")
          .containsPattern("Signature=[0-9a-f]{64}");
      assertThat(call.body().path("Namespace").asText()).isEqualTo("staging/shop/loadtests");
      assertThat(call.body().path("MetricData").size()).isBetween(1, 20);
      assertThat(call.bodyBytes()).isLessThan(1_048_576);
      for (JsonNode datum : call.body().path("MetricData")) {
        assertThat(datum.path("Values").size()).isLessThanOrEqualTo(150);
        assertThat(datum.path("Counts").size()).isEqualTo(datum.path("Values").size());
        assertThat(datum.path("StorageResolution").asInt()).isEqualTo(1);
        assertThat(FakeCloudWatch.dimension(datum, "Service")).isEqualTo("shop");
        assertThat(FakeCloudWatch.dimension(datum, "Environment")).isEqualTo("staging");
        assertThat(FakeCloudWatch.dimension(datum, "RunId")).isNull();
      }
    }
  }

  @Test
  void percentilesFromTheSentValuesAndCountsAreWithinTheStatedErrorOfTheHistogram() {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of())) {
      run.run(listener, 60, 1_500, ENDPOINTS);
    }
    List<JsonNode> totals = fake.datums().stream()
        .filter(d -> d.path("MetricName").asText().equals("ResponseTime") && FakeCloudWatch.dimension(d, "Name") == null)
        .toList();
    assertThat(totals).hasSize(6);
    for (JsonNode datum : totals) {
      long intervalStart = Math.round(datum.path("Timestamp").asDouble() * 1000);
      Histogram truth = run.totalMicrosByIntervalStart.get(intervalStart);
      assertThat(truth).as("engine histogram of interval %d", intervalStart).isNotNull();
      ValuesCompressor.Distribution sent = distribution(datum);
      assertThat(sent.size()).isLessThanOrEqualTo(150).isGreaterThan(100);
      assertThat(sent.totalCount()).isEqualTo(truth.getTotalCount());
      double bound = Math.pow((double) truth.getMaxValue() / truth.getMinNonZeroValue(), 1.0 / 294) - 1;
      assertThat(bound).as("the documented bound for this spread").isLessThan(0.05);
      for (double p : new double[] {50, 90, 95, 99, 99.9}) {
        double expected = truth.getValueAtPercentile(p) / 1000.0;
        assertThat(sent.percentile(p)).as("p%s", p).isCloseTo(expected, within(expected * (bound + 1e-9)));
      }
    }
  }

  static ValuesCompressor.Distribution distribution(JsonNode datum) {
    int n = datum.path("Values").size();
    double[] values = new double[n];
    double[] counts = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = datum.path("Values").get(i).asDouble();
      counts[i] = datum.path("Counts").get(i).asDouble();
    }
    return new ValuesCompressor.Distribution(values, counts, 0);
  }

  @Test
  void numberOfCallsDoesNotGrowWhenTheRequestRateGrowsTenfold() throws Exception {
    int[] calls = new int[2];
    int[] rates = {100, 1_000};
    for (int i = 0; i < 2; i++) {
      try (FakeCloudWatch own = new FakeCloudWatch()) {
        SimulatedRun run = new SimulatedRun();
        try (CloudWatchListener listener = listener(run, own.endpoint(), Map.of("cloudwatch.batch-size", "20"))) {
          run.run(listener, 60, rates[i], ENDPOINTS);
          assertThat(listener.report().details()).containsEntry("api_calls", (long) own.acceptedPutMetricData().size());
        }
        assertThat(own.endpointSum("RequestCount")).isEqualTo(run.requests);
        calls[i] = own.acceptedPutMetricData().size();
      }
    }
    // 8 names x GET/POST = 16 endpoints: (16 + 1) x 3 datums + UserCount = 52 datums, 3 calls of
    // at most 20 per interval, 6 intervals.
    assertThat(calls[0]).isEqualTo(18);
    assertThat(calls[1]).isEqualTo(calls[0]);
  }

  @Test
  void compressesLargeRequestsWithGzipAndStaysUnderTheLimit() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      many.add("/item/" + i);
    }
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.max-endpoints", "1000"))) {
      run.run(listener, 10, 40_000, many);
      assertThat(listener.report().failed()).isZero();
    }
    List<FakeCloudWatch.Received> calls = fake.acceptedPutMetricData();
    assertThat(calls).anyMatch(FakeCloudWatch.Received::gzipped);
    assertThat(calls).allMatch(c -> c.bodyBytes() < 1_048_576 && c.body().path("MetricData").size() <= 1000);
    assertThat(calls).anyMatch(c -> c.bodyBytes() > 100_000);
    assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests);
  }

  @ParameterizedTest
  @EnumSource(value = FakeCloudWatch.Fault.class, names = {"THROTTLING", "THROTTLING_BODY_ONLY", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE"})
  void retriesThrottlingAndServerErrorsWithNothingLost(FakeCloudWatch.Fault fault) {
    SimulatedRun run = new SimulatedRun();
    fake.failNext(3, fault);
    ExportReport report;
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.batch-size", "20"))) {
      run.run(listener, 30, 200, ENDPOINTS);
      report = listener.report();
    }
    assertThat(fake.received()).filteredOn(r -> r.status() != 200).hasSize(3);
    assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests);
    assertThat(fake.endpointSum("FailureCount")).isEqualTo(run.failures);
    assertThat(report.failed()).isZero();
    assertThat(report.details()).containsEntry("datums_failed", 0L)
        .containsEntry("http_requests", (long) fake.received().size())
        .containsEntry("api_calls", (long) fake.acceptedPutMetricData().size());
  }

  @Test
  void rejectedDatumIsCountedAndItsNeighboursAreDelivered() {
    fake.rejectWhen(body -> {
      for (JsonNode datum : body.path("MetricData")) {
        if ("/checkout".equals(FakeCloudWatch.dimension(datum, "Name")) && datum.path("MetricName").asText().equals("RequestCount")) {
          return true;
        }
      }
      return false;
    });
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    long checkout;
    try (CloudWatchListener listener = listener(run, Map.of())) {
      run.run(listener, 10, 800, ENDPOINTS);
      report = listener.report();
    }
    checkout = run.requests / ENDPOINTS.size();
    // 52 datums in one call, two of them bad (GET and POST /checkout): each halving round resends
    // at most the two halves holding a bad datum, so at most 1 + 2 x 2 x ceil(log2 52) calls.
    assertThat(report.details()).containsEntry("datums_rejected", 2L).containsEntry("datums_failed", 2L);
    assertThat(report.failed()).isEqualTo(checkout);
    assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests - checkout);
    assertThat(fake.datums()).hasSize(50);
    assertThat(fake.received().size()).isLessThanOrEqualTo(1 + 2 * 2 * 6);
  }

  @Test
  void endpointDownForTheWholeRunStopsWithinTheFlushTimeoutAndCountsTheLoss() throws Exception {
    java.net.URI nobody;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nobody = java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    long stopStarted;
    long stopTook;
    try (CloudWatchListener listener = listener(run, nobody, Map.of("cloudwatch.flush-timeout", "2s",
        "cloudwatch.batch-size", "20"))) {
      listener.onStart(run.run);
      run.drive(listener, 59, 300, ENDPOINTS);
      stopStarted = System.nanoTime();
      listener.onResults(List.of(run.result("GET", "/", false)));
      listener.onStop(SimulatedRun.summary(run.run, run.requests + 1, run.failures));
      stopTook = System.nanoTime() - stopStarted;
      report = listener.report();
    }
    // A bound, not a speed claim: stop must not outlive its timeout (plus slack for a busy CI
    // machine); without the bound, the retries with backoff would go on for minutes.
    assertThat(Duration.ofNanos(stopTook)).isLessThan(Duration.ofSeconds(2).plusSeconds(3));
    assertThat(report.failed()).isEqualTo(run.requests + 1);
    assertThat((long) report.details().get("datums_sent")).isZero();
    assertThat((long) report.details().get("datums_failed")).isGreaterThan(0);
    assertThat((long) report.details().get("http_requests")).isGreaterThan((long) report.details().get("api_calls"));
  }

  @Test
  void startRehearsesACallThroughSigningWithoutSendingOrCountingIt() {
    SimulatedRun run = new SimulatedRun();
    AtomicInteger credentialLookups = new AtomicInteger();
    AwsCredentialsProvider counting = () -> {
      credentialLookups.incrementAndGet();
      return AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY);
    };
    try (CloudWatchListener listener = listener(run, fake.endpoint(), Map.of(), counting)) {
      listener.onStart(run.run);

      assertThat(credentialLookups.get()).as("the rehearsal was signed").isPositive();
      assertThat(fake.received()).as("and never sent").isEmpty();
      assertThat(listener.report().details()).containsEntry("api_calls", 0L).containsEntry("http_requests", 0L);

      run.drive(listener, 10, 50, ENDPOINTS);
      listener.onStop(SimulatedRun.summary(run.run, run.requests, run.failures));
      assertThat(fake.endpointSum("RequestCount")).isEqualTo(run.requests);
      assertThat(fake.received()).extracting(FakeCloudWatch.Received::operation).containsOnly("PutMetricData");
      assertThat(listener.report().details().get("api_calls")).isEqualTo((long) fake.received().size());
    }
  }

  @Test
  void startSaysWhenNoCallCanBePreparedAndTheRunGoesOn() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    SimulatedRun run = new SimulatedRun();
    AwsCredentialsProvider none = () -> {
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    };
    ExportReport report;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (CloudWatchListener listener = listener(run, fake.endpoint(), Map.of("cloudwatch.max-attempts", "1"), none)) {
        listener.onStart(run.run);
        assertThat(captured.toString(StandardCharsets.UTF_8))
            .contains("a PutMetricData call cannot be prepared")
            .contains("Unable to load credentials");
        run.drive(listener, 10, 50, ENDPOINTS);
        listener.onStop(SimulatedRun.summary(run.run, run.requests, run.failures));
        report = listener.report();
      }
    } finally {
      System.setErr(originalErr);
    }
    assertThat(report.failed()).isEqualTo(run.requests);
    assertThat(fake.received()).isEmpty();
  }

  @Test
  void credentialsNeverAppearInLogsOrTheReport() throws Exception {
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    ExportReport report;
    try {
      System.setErr(capture);
      System.setOut(capture);
      fake.failNext(2, FakeCloudWatch.Fault.THROTTLING);
      fake.rejectWhen(body -> body.toString().contains("/checkout"));
      SimulatedRun run = new SimulatedRun();
      try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.batch-size", "5", "cloudwatch.max-attempts", "1"))) {
        run.run(listener, 20, 100, ENDPOINTS);
        report = listener.report();
      }
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("something was logged, so the check means something").contains("cloudwatch");
    assertThat(logs).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
    assertThat(report.toString()).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
    assertThat(report.failed()).isGreaterThan(0);
  }

  @Test
  void reportsCallsDatumsCustomMetricsAndCost() {
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.price-per-1000-requests", "10"))) {
      run.run(listener, 60, 100, ENDPOINTS.subList(0, 2));
      report = listener.report();
    }
    // Per interval: 2 endpoints x 2 methods... each name sees GET and POST: 4 endpoint rows + total.
    long datums = fake.datums().size();
    assertThat(report.details())
        .containsEntry("api_calls", 6L)
        .containsEntry("datums_sent", datums)
        .containsEntry("datums_failed", 0L)
        .containsEntry("custom_metrics", 4L * 3 + 3 + 1)
        .containsEntry("estimated_cost_usd", 0.06);
  }

  @Test
  void addsRunIdDimensionOnlyWhenAsked() {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.run-id-dimension", "true",
        "cloudwatch.dimensions", "Team=payments"))) {
      run.run(listener, 10, 50, ENDPOINTS);
    }
    assertThat(fake.datums()).isNotEmpty().allSatisfy(d -> {
      assertThat(FakeCloudWatch.dimension(d, "RunId")).isEqualTo("sim-run-1");
      assertThat(FakeCloudWatch.dimension(d, "Team")).isEqualTo("payments");
    });
  }

  @Test
  void writesTheDashboardWhenConfigured() throws Exception {
    SimulatedRun run = new SimulatedRun();
    try (CloudWatchListener listener = listener(run, Map.of("cloudwatch.dashboard", "shop-loadtests"))) {
      run.run(listener, 10, 50, ENDPOINTS);
      assertThat(listener.report().details()).containsEntry("dashboard", "updated shop-loadtests");
    }
    FakeCloudWatch.Received put = fake.received().stream().filter(r -> r.operation().equals("PutDashboard"))
        .findFirst().orElseThrow();
    assertThat(put.body().path("DashboardName").asText()).isEqualTo("shop-loadtests");
    JsonNode dashboard = new ObjectMapper().readTree(put.body().path("DashboardBody").asText());
    assertThat(dashboard.path("widgets")).hasSize(4);
    assertThat(dashboard.toString()).contains("SEARCH('{\\\"staging/shop/loadtests\\\",Environment,Service,Method,Name} MetricName=\\\"RequestCount\\\"'")
        .contains("us-east-1");
  }
}
