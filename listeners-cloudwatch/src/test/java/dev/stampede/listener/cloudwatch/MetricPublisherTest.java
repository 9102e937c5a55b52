package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

class MetricPublisherTest {

  /** A client whose PutMetricData answers come from {@code answer}, recording every request. */
  static final class ScriptedClient implements CloudWatchAsyncClient {
    final List<PutMetricDataRequest> requests = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<PutMetricDataResponse>> futures = new CopyOnWriteArrayList<>();
    private final Function<PutMetricDataRequest, CompletableFuture<PutMetricDataResponse>> answer;

    ScriptedClient(Function<PutMetricDataRequest, CompletableFuture<PutMetricDataResponse>> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest request) {
      requests.add(request);
      CompletableFuture<PutMetricDataResponse> future = answer.apply(request);
      futures.add(future);
      return future;
    }

    @Override
    public String serviceName() {
      return "monitoring";
    }

    @Override
    public void close() {}
  }

  private static OutgoingDatum datum(String metric, long results) {
    return new OutgoingDatum(MetricDatum.builder().metricName(metric).value(1.0).build(), results);
  }

  private static MetricPublisher publisher(ScriptedClient client, int batchSize) {
    return new MetricPublisher(() -> client, "perf", batchSize, Duration.ofSeconds(1));
  }

  private static long far() {
    return System.nanoTime() + Duration.ofSeconds(10).toNanos();
  }

  @Test
  void isolatesARejectedDatumBySplittingItsBatchAndDeliversTheOthers() {
    ScriptedClient client = new ScriptedClient(request -> request.metricData().stream()
        .anyMatch(d -> d.metricName().equals("Bad"))
        ? CompletableFuture.failedFuture(InvalidParameterValueException.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidParameterValue").build()).build())
        : CompletableFuture.completedFuture(PutMetricDataResponse.builder().build()));
    MetricPublisher publisher = publisher(client, 20);

    publisher.publish(List.of(datum("A", 5), datum("Bad", 7), datum("C", 0), datum("D", 0)), far());
    publisher.await(far());

    // [A Bad C D] -> [A Bad] [C D] -> [A] [Bad]: five calls, one datum lost with its 7 results.
    assertThat(client.requests).hasSize(5);
    assertThat(publisher.calls()).isEqualTo(5);
    assertThat(publisher.details(0)).containsEntry("datums_sent", 3L).containsEntry("datums_rejected", 1L)
        .containsEntry("datums_failed", 1L).containsEntry("custom_metrics", 3L);
    assertThat(publisher.failedResults()).isEqualTo(7);
  }

  @Test
  void cutsDatumsIntoCallsOfTheBatchSize() {
    ScriptedClient client = new ScriptedClient(request -> CompletableFuture.completedFuture(
        PutMetricDataResponse.builder().build()));
    MetricPublisher publisher = publisher(client, 2);
    List<OutgoingDatum> datums = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      datums.add(datum("M" + i, 1));
    }

    publisher.publish(datums, far());
    publisher.await(far());

    assertThat(client.requests).extracting(r -> r.metricData().size()).containsExactly(2, 2, 1);
    assertThat(client.requests).allSatisfy(r -> assertThat(r.namespace()).isEqualTo("perf"));
    assertThat(publisher.details(0)).containsEntry("datums_sent", 5L).containsEntry("datums_failed", 0L);
  }

  @Test
  void countsCallsStillWaitingWhenTheWaitEndsAsFailedOnceAndCancelsThem() {
    ScriptedClient client = new ScriptedClient(request -> new CompletableFuture<>());
    MetricPublisher publisher = publisher(client, 1);

    publisher.publish(List.of(datum("A", 3), datum("B", 4)), far());
    publisher.await(System.nanoTime());
    publisher.abandon();

    assertThat(client.futures).hasSize(2).allSatisfy(f -> assertThat(f).isCancelled());
    assertThat(publisher.details(0)).containsEntry("datums_failed", 2L).containsEntry("datums_sent", 0L);
    assertThat(publisher.failedResults()).isEqualTo(7);
  }

  @Test
  void failsABatchThatGetsNoCallSlotBeforeTheDeadlineWithoutCallingCloudWatch() {
    ScriptedClient client = new ScriptedClient(request -> new CompletableFuture<>());
    MetricPublisher publisher = publisher(client, 1);
    List<OutgoingDatum> busy = new ArrayList<>();
    for (int i = 0; i < MetricPublisher.MAX_IN_FLIGHT_CALLS; i++) {
      busy.add(datum("M" + i, 0));
    }
    publisher.publish(busy, far());

    publisher.publish(List.of(datum("Late", 9)), System.nanoTime());

    assertThat(client.requests).hasSize(MetricPublisher.MAX_IN_FLIGHT_CALLS);
    assertThat(publisher.details(0)).containsEntry("datums_failed", 1L);
    assertThat(publisher.failedResults()).isEqualTo(9);
    publisher.abandon();
  }

  @Test
  void sendsNothingAfterItWasAbandoned() {
    ScriptedClient client = new ScriptedClient(request -> CompletableFuture.completedFuture(
        PutMetricDataResponse.builder().build()));
    MetricPublisher publisher = publisher(client, 20);
    publisher.abandon();

    publisher.publish(List.of(datum("A", 2)), far());

    assertThat(client.requests).isEmpty();
    assertThat(publisher.details(0)).containsEntry("datums_failed", 1L);
    assertThat(publisher.failedResults()).isEqualTo(2);
  }
}
