package dev.stampede.listener.cloudwatch;

import dev.stampede.stats.IntervalStats;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

/**
 * Writes the run's KPI alarms ({@link KpiAlarms} says which) with PutMetricAlarm: one call after
 * the other, at most one per {@code spacing}, off the listener thread; a failed alarm is logged
 * (once at warn, then at debug) and counted, never fatal. The CloudWatch listener's alarm side, kept
 * apart from its metric publishing.
 */
final class AlarmWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchListener.class);

  private final CloudWatchAsyncClient client;
  private final KpiAlarms plan;
  private final int periodSeconds;
  private final long spacingNanos;
  private final Duration flushTimeout;
  private final WarnThenDebugLogger failures = new WarnThenDebugLogger(CloudWatchListener.class);
  private final AtomicLong calls = new AtomicLong();
  private final Object lock = new Object();
  private long queued;
  private long created;
  private long failed;
  private boolean abandoned;
  private volatile long notBeforeNanos;
  private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
  private int notCreatedLogged;

  private AlarmWriter(CloudWatchAsyncClient client, KpiAlarms plan, int periodSeconds, Duration spacing,
      Duration flushTimeout) {
    this.client = client;
    this.plan = plan;
    this.periodSeconds = periodSeconds;
    this.spacingNanos = spacing.toNanos();
    this.flushTimeout = flushTimeout;
  }

  /** Logs what cannot be alarmed on and queues the alarms known at start. */
  static AlarmWriter start(CloudWatchAsyncClient client, KpiAlarms plan, int periodSeconds, long stepMillis,
      Duration spacing, Duration flushTimeout) {
    AlarmWriter writer = new AlarmWriter(client, plan, periodSeconds, spacing, flushTimeout);
    if (periodSeconds * 1000L != stepMillis) {
      LOG.info("cloudwatch: alarms use a period of {} s, not the step of {} s: CloudWatch accepts 10, 20"
          + " or 30 s on high-resolution metrics and multiples of 60 s otherwise", periodSeconds, stepMillis / 1000.0);
    }
    writer.logNotCreated();
    writer.put(plan.atStart());
    return writer;
  }

  /** Queues the alarms of KPIs on endpoints first seen in this step. */
  void resolve(List<IntervalStats.Endpoint> endpoints) {
    if (plan.hasUnresolved()) {
      put(plan.resolve(endpoints));
      logNotCreated();
    }
  }

  /** Queues the alarms of KPIs whose endpoint never appeared, at stop. */
  void putUnresolved() {
    put(plan.unresolved());
  }

  /** PutMetricAlarm calls made, for the cost estimate. */
  long calls() {
    return calls.get();
  }

  /** {@code alarms_created}, {@code alarms_failed}, {@code alarms_not_created}, {@code alarm_period_s}. */
  Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    synchronized (lock) {
      details.put("alarms_created", created);
      details.put("alarms_failed", failed);
    }
    details.put("alarms_not_created", (long) plan.notCreated().size());
    details.put("alarm_period_s", (long) periodSeconds);
    return details;
  }

  /** Waits for the queued alarms up to {@code deadlineNanos}, then gives up on the rest. */
  void await(long deadlineNanos) {
    try {
      chain.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Counted below: whatever has not completed by now failed.
    }
    abandon();
  }

  /** Counts every queued alarm without an outcome yet as failed, once, and sends no more. */
  void abandon() {
    long left;
    synchronized (lock) {
      if (abandoned) {
        return;
      }
      abandoned = true;
      left = queued - created - failed;
      failed += left;
    }
    if (left > 0) {
      failures.log("cloudwatch: " + left + " alarms were not created within the flush timeout of "
          + flushTimeout.toMillis() + " ms; they are counted in alarms_failed");
    }
    chain.cancel(true);
  }

  private void logNotCreated() {
    List<KpiAlarms.NotCreated> notCreated = plan.notCreated();
    for (int i = notCreatedLogged; i < notCreated.size(); i++) {
      LOG.info("cloudwatch: no alarm for KPI {}: {}", notCreated.get(i).kpi().name(), notCreated.get(i).reason());
    }
    notCreatedLogged = notCreated.size();
  }

  /**
   * Queues {@code requests} behind the alarms already queued. Each call starts when the one before
   * it has completed and at least the spacing after it started, so a KPI file of any size stays
   * under the API's rate quota; nothing here waits on the listener thread.
   */
  private void put(List<PutMetricAlarmRequest> requests) {
    for (PutMetricAlarmRequest request : requests) {
      synchronized (lock) {
        if (abandoned) {
          failed++;
          continue;
        }
        queued++;
      }
      chain = chain.thenCompose(ignored -> {
        long wait = notBeforeNanos - System.nanoTime();
        if (wait <= 0) {
          return putOne(request);
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS))
            .thenCompose(nothing -> putOne(request));
      });
    }
  }

  /** One PutMetricAlarm call; the future completes normally whatever the outcome, once counted. */
  private CompletableFuture<Void> putOne(PutMetricAlarmRequest request) {
    synchronized (lock) {
      if (abandoned) {
        return CompletableFuture.completedFuture(null);
      }
    }
    notBeforeNanos = System.nanoTime() + spacingNanos;
    calls.incrementAndGet();
    CompletableFuture<?> call;
    try {
      call = client.putMetricAlarm(request);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle((response, error) -> {
      synchronized (lock) {
        if (abandoned) {
          return null;
        }
        if (error == null) {
          created++;
        } else {
          failed++;
        }
      }
      if (error != null) {
        failures.log("cloudwatch: alarm '" + request.alarmName() + "' could not be created or updated"
            + " (the credentials need cloudwatch:PutMetricAlarm); the run goes on without it", CloudWatchClients.unwrap(error));
      }
      return null;
    });
  }
}
