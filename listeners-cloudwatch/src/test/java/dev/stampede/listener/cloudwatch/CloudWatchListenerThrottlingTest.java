package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.stampede.ExportReport;
import dev.stampede.config.ConfigSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

/**
 * The listener with a mocked {@link CloudWatchAsyncClient} whose calls fail the way the SDK fails
 * them once its own retries gave up on a throttling CloudWatch: what the listener counts, without a
 * server. The client is an interface, so Mockito's proxy mock maker (src/test/resources) mocks it
 * with a JDK proxy: no bytecode generation, no agent.
 */
class CloudWatchListenerThrottlingTest {

  static final List<String> ENDPOINTS = List.of("/", "/search", "/checkout");

  final CloudWatchAsyncClient client = mock(CloudWatchAsyncClient.class);

  CloudWatchListener listener(SimulatedRun run) {
    Map<String, String> values = Map.of("cloudwatch.region", "us-east-1", "cloudwatch.service", "shop",
        "cloudwatch.environment", "staging", "cloudwatch.batch-size", "20", "cloudwatch.flush-timeout", "10s");
    return CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(values))).clock(run.clock).client(client)
        .build();
  }

  /** What the SDK completes a call with when CloudWatch still throttles after the last attempt. */
  static CompletableFuture<PutMetricDataResponse> throttled() {
    return CompletableFuture.failedFuture(CloudWatchException.builder().statusCode(400).message("Rate exceeded")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded")
            .serviceName("CloudWatch").build())
        .build());
  }

  /** The datums of every PutMetricData call the listener made. */
  List<PutMetricDataRequest> calls() {
    ArgumentCaptor<PutMetricDataRequest> calls = ArgumentCaptor.forClass(PutMetricDataRequest.class);
    verify(client, atLeastOnce()).putMetricData(calls.capture());
    return calls.getAllValues();
  }

  @Test
  void throttledCallsAreCountedAsFailedOnceWithoutSplittingOrResending() {
    when(client.putMetricData(any(PutMetricDataRequest.class))).thenAnswer(call -> throttled());
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try (CloudWatchListener listener = listener(run)) {
      run.run(listener, 30, 200, ENDPOINTS); // nothing is thrown into the engine
      report = listener.report();
    }

    List<PutMetricDataRequest> calls = calls();
    long datumsSent = calls.stream().mapToLong(r -> r.metricData().size()).sum();
    // Throttling is not a rejection of the content: a split would send datums again, and the calls
    // would carry more datums than failed.
    assertThat(report.details()).containsEntry("api_calls", (long) calls.size())
        .containsEntry("datums_failed", datumsSent)
        .containsEntry("datums_rejected", 0L)
        .containsEntry("datums_sent", 0L);
    // What CloudWatch did not confirm is never counted as delivered.
    assertThat(report.failed()).isEqualTo(run.requests);
    verify(client, never()).close(); // a client the caller gave is the caller's to close
  }

  @Test
  void onlyTheDatumsOfTheThrottledCallAreLost() {
    AtomicReference<PutMetricDataRequest> throttledCall = new AtomicReference<>();
    when(client.putMetricData(any(PutMetricDataRequest.class))).thenAnswer(call ->
        throttledCall.compareAndSet(null, call.getArgument(0))
            ? throttled() : CompletableFuture.completedFuture(PutMetricDataResponse.builder().build()));
    SimulatedRun run = new SimulatedRun();
    ExportReport report;
    try (CloudWatchListener listener = listener(run)) {
      run.run(listener, 30, 200, ENDPOINTS);
      report = listener.report();
    }

    List<PutMetricDataRequest> sent = calls();
    long first = throttledCall.get().metricData().size();
    long all = sent.stream().mapToLong(r -> r.metricData().size()).sum();
    assertThat(sent).hasSizeGreaterThan(1);
    assertThat(report.details()).containsEntry("datums_failed", first).containsEntry("datums_sent", all - first);
    assertThat(report.failed()).isPositive().isLessThan(run.requests);
  }
}
