package dev.stampede.listener.cloudwatch;

import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * Publishes datums with asynchronous PutMetricData calls: cut by the {@link DatumBatcher} into as
 * few calls as the API's limits allow (each call is billed), at most {@value #MAX_IN_FLIGHT_CALLS}
 * in flight at once. A batch CloudWatch rejects as invalid is logged once and split in halves, each
 * sent once more, so one bad datum does not sink its neighbours (at most {@value #MAX_SPLIT_CALLS}
 * extra calls a run); a single rejected datum is dropped and counted. Every datum's outcome is
 * counted exactly once: sent, rejected, or failed (retries exhausted, no call slot in time, or
 * still waiting when {@link #await} gives up). The CloudWatch listener's metric side.
 */
final class MetricPublisher {

  /** Calls waiting for CloudWatch at once before the listener thread waits for a slot. */
  static final int MAX_IN_FLIGHT_CALLS = 16;

  /** Extra calls a run may spend splitting rejected batches to isolate bad datums. */
  static final int MAX_SPLIT_CALLS = 1_000;

  private final Supplier<CloudWatchAsyncClient> client;
  private final String namespace;
  private final DatumBatcher batcher;
  private final Duration flushTimeout;

  private final WarnThenDebugLogger sendFailures = new WarnThenDebugLogger(CloudWatchListener.class);
  private final WarnThenDebugLogger rejections = new WarnThenDebugLogger(CloudWatchListener.class);
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_CALLS);
  private final Set<Call> pending = ConcurrentHashMap.newKeySet();
  private final Object pendingLock = new Object();
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private final AtomicInteger splitCallsLeft = new AtomicInteger(MAX_SPLIT_CALLS);
  private final Set<String> customMetrics = ConcurrentHashMap.newKeySet();
  private final AtomicLong apiCalls = new AtomicLong();
  private final AtomicLong datumsSent = new AtomicLong();
  private final AtomicLong datumsFailed = new AtomicLong();
  private final AtomicLong datumsRejected = new AtomicLong();
  private final AtomicLong failedResults = new AtomicLong();

  /**
   * @param client the client, asked for at each call (the listener builds it at start)
   * @param batchSize the most datums in one call, 1 to {@link CloudWatchConfig#MAX_DATUMS_PER_REQUEST}
   * @param flushTimeout how long {@link #await} waited, for its log line
   */
  MetricPublisher(Supplier<CloudWatchAsyncClient> client, String namespace, int batchSize, Duration flushTimeout) {
    this.client = client;
    this.namespace = namespace;
    this.batcher = new DatumBatcher(batchSize);
    this.flushTimeout = flushTimeout;
  }

  /**
   * Sends {@code datums} in batches, waiting for a call slot until {@code deadlineNanos} at most
   * ({@link System#nanoTime()}); a batch that gets none is counted as failed.
   */
  void publish(List<OutgoingDatum> datums, long deadlineNanos) {
    if (datums.isEmpty()) {
      return;
    }
    for (List<OutgoingDatum> batch : batcher.batches(datums)) {
      if (!acquireSlot(deadlineNanos)) {
        fail(batch, "no free call slot within the flush timeout: CloudWatch is too slow", null);
        continue;
      }
      send(batch, true);
    }
  }

  /** Waits for the calls in flight until {@code deadlineNanos}, then gives up on the rest ({@link #abandon}). */
  void await(long deadlineNanos) {
    synchronized (pendingLock) {
      while (!pending.isEmpty()) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(pendingLock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    abandon();
  }

  /**
   * Gives up on every call still waiting: counts its datums as failed, once, and cancels it. Sends
   * no more calls after this.
   */
  void abandon() {
    List<Call> left;
    synchronized (pendingLock) {
      abandoned.set(true);
      left = new ArrayList<>(pending);
      pending.clear();
    }
    long lost = 0;
    for (Call call : left) {
      if (call.settle()) {
        release(call);
        fail(call.batch, null, null);
        lost += call.batch.size();
        if (call.future != null) {
          call.future.cancel(true);
        }
      }
    }
    if (lost > 0) {
      sendFailures.log("cloudwatch: " + lost + " datums were still undelivered when the flush timeout of "
          + flushTimeout.toMillis() + " ms ran out; they are counted as failed");
    }
  }

  /** PutMetricData calls made, splits included, for the cost estimate. */
  long calls() {
    return apiCalls.get();
  }

  /** Results whose {@code RequestCount} datum was not delivered. */
  long failedResults() {
    return failedResults.get();
  }

  /** {@code api_calls}, then {@code http_requests} as given, {@code datums_sent}, {@code datums_failed}, {@code datums_rejected}, {@code custom_metrics}. */
  Map<String, Object> details(long httpRequests) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("api_calls", apiCalls.get());
    details.put("http_requests", httpRequests);
    details.put("datums_sent", datumsSent.get());
    details.put("datums_failed", datumsFailed.get());
    details.put("datums_rejected", datumsRejected.get());
    details.put("custom_metrics", (long) customMetrics.size());
    return details;
  }

  private boolean acquireSlot(long deadlineNanos) {
    try {
      return inFlight.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends one batch; {@code holdsSlot} says whether it holds an in-flight permit to release. */
  private void send(List<OutgoingDatum> batch, boolean holdsSlot) {
    Call call = new Call(batch, holdsSlot);
    synchronized (pendingLock) {
      if (abandoned.get()) {
        call.settle();
        release(call);
        fail(batch, "the flush timeout had passed", null);
        return;
      }
      pending.add(call);
    }
    PutMetricDataRequest request = PutMetricDataRequest.builder().namespace(namespace)
        .metricData(batch.stream().map(OutgoingDatum::datum).toList()).build();
    apiCalls.incrementAndGet();
    CompletableFuture<?> future;
    try {
      future = client.get().putMetricData(request);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    call.future = future;
    future.whenComplete((response, error) -> complete(call, error));
  }

  private void complete(Call call, Throwable error) {
    if (!call.settle()) {
      return;
    }
    try {
      if (error == null) {
        datumsSent.addAndGet(call.batch.size());
        for (OutgoingDatum datum : call.batch) {
          customMetrics.add(metricKey(datum.datum()));
        }
        return;
      }
      Throwable cause = CloudWatchClients.unwrap(error);
      if (isRejection(cause)) {
        rejections.log("CloudWatch rejected a PutMetricData call of " + call.batch.size() + " datums in namespace "
            + namespace + "; the datums are split and sent once more to isolate the bad ones", cause);
        if (call.batch.size() > 1 && splitCallsLeft.addAndGet(-2) >= 0) {
          int half = call.batch.size() / 2;
          send(List.copyOf(call.batch.subList(0, half)), false);
          send(List.copyOf(call.batch.subList(half, call.batch.size())), false);
        } else {
          datumsRejected.addAndGet(call.batch.size());
          fail(call.batch, null, null);
        }
        return;
      }
      fail(call.batch, "PutMetricData failed after retries; " + call.batch.size() + " datums are lost", cause);
    } finally {
      finish(call);
    }
  }

  private void finish(Call call) {
    release(call);
    synchronized (pendingLock) {
      pending.remove(call);
      pendingLock.notifyAll();
    }
  }

  private void release(Call call) {
    if (call.holdsSlot) {
      inFlight.release();
    }
  }

  private void fail(List<OutgoingDatum> batch, String message, Throwable cause) {
    datumsFailed.addAndGet(batch.size());
    failedResults.addAndGet(batch.stream().mapToLong(OutgoingDatum::results).sum());
    if (message != null) {
      sendFailures.log("cloudwatch: " + message, cause);
    }
  }

  /** Whether CloudWatch refused the content of a call, which no retry of the same call can fix. */
  static boolean isRejection(Throwable cause) {
    if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      return "InvalidParameterValue".equals(code) || "InvalidParameterCombination".equals(code)
          || "InvalidParameterValueException".equals(code) || "InvalidParameterCombinationException".equals(code)
          || service instanceof InvalidParameterValueException
          || service instanceof InvalidParameterCombinationException;
    }
    return false;
  }

  /** The metric name and sorted dimensions: what CloudWatch bills as one custom metric. */
  static String metricKey(MetricDatum datum) {
    return datum.metricName() + datum.dimensions().stream()
        .map(d -> d.name() + "=" + d.value()).sorted().collect(Collectors.joining(",", "{", "}"));
  }

  /** One PutMetricData call in flight. {@link #settle()} makes sure its outcome is counted once. */
  private static final class Call {
    final List<OutgoingDatum> batch;
    final boolean holdsSlot;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile CompletableFuture<?> future;

    Call(List<OutgoingDatum> batch, boolean holdsSlot) {
      this.batch = batch;
      this.holdsSlot = holdsSlot;
    }

    boolean settle() {
      return settled.compareAndSet(false, true);
    }
  }
}
