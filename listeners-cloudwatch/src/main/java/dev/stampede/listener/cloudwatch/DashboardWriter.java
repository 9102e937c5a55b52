package dev.stampede.listener.cloudwatch;

import dev.stampede.support.WarnThenDebugLogger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * Writes the run's dashboard ({@link DashboardBody}) with one asynchronous PutDashboard call at
 * start, off the listener thread; a failure is logged at warn and reported, never fatal. The
 * CloudWatch listener's dashboard side.
 */
final class DashboardWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchListener.class);

  private final CompletableFuture<?> write;
  private volatile String outcome;

  private DashboardWriter(CompletableFuture<?> write) {
    this.write = write;
  }

  /** Starts writing dashboard {@code name} with {@code body} in {@code client}'s region. */
  static DashboardWriter start(CloudWatchAsyncClient client, String name, String body) {
    CompletableFuture<?> call;
    try {
      call = client.putDashboard(r -> r.dashboardName(name).dashboardBody(body));
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    DashboardWriter writer = new DashboardWriter(call);
    writer.outcome = "pending " + name;
    call.whenComplete((response, error) -> {
      if (error == null) {
        writer.outcome = "updated " + name;
        LOG.info("cloudwatch: dashboard {} created or updated", name);
      } else {
        writer.outcome = "failed " + name;
        LOG.warn("cloudwatch: dashboard {} could not be written: {}", name,
            WarnThenDebugLogger.describe(CloudWatchClients.unwrap(error)));
      }
    });
    return writer;
  }

  /** PutDashboard calls made, for the cost estimate: one. */
  long calls() {
    return 1;
  }

  /** {@code pending NAME}, {@code updated NAME} or {@code failed NAME}. */
  String outcome() {
    return outcome;
  }

  /** Waits for the write until {@code deadlineNanos} at most; a write still going on stays pending. */
  void await(long deadlineNanos) {
    try {
      write.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The outcome is logged and reported by the write's own callback; a timeout reads as pending.
    }
  }
}
