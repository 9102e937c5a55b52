package dev.stampede.listener.prometheus;

import dev.stampede.support.WarnThenDebugLogger;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Pushes the whole registry to a Pushgateway, replacing the group {@code job/run_id/instance}
 * each time (HTTP PUT), with retries.
 *
 * <p>Because every push carries cumulative counts, a failed push loses nothing as long as a later
 * one succeeds: what the Pushgateway is missing is only what was recorded after the last
 * successful push, which {@link #undelivered()} reports. Thread-safe: the listener's push thread and
 * its final push at stop take turns.
 */
final class Pusher {

  private final WarnThenDebugLogger failureLog = new WarnThenDebugLogger(Pusher.class);

  private final PushGateway gateway;
  private final String target;
  private final int retries;
  private final Duration backoff;
  private final LongSupplier recorded;
  private long pushes;
  private long failures;
  private long retried;
  private long recordedAtLastPush;
  private boolean lastPushFailed;

  /**
   * @param recorded how many results the registry holds now; read just before each push
   */
  Pusher(PrometheusRegistry registry, URI url, String job, String runId, String instance,
      String username, String password, int retries, Duration backoff, Duration timeout, LongSupplier recorded) {
    String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    PushGateway.Builder builder = PushGateway.builder()
        .registry(registry)
        .format(Format.PROMETHEUS_TEXT)
        .scheme(Scheme.fromString(url.getScheme().toLowerCase(Locale.ROOT)))
        .address(url.getRawAuthority() + path)
        .job(job)
        .groupingKey(PrometheusNames.RUN_ID, runId)
        .groupingKey("instance", instance)
        .connectionFactory(u -> {
          HttpURLConnection connection = (HttpURLConnection) u.openConnection();
          connection.setConnectTimeout(timeoutMillis);
          connection.setReadTimeout(timeoutMillis);
          return connection;
        });
    if (username != null) {
      builder.basicAuth(username, password);
    }
    this.gateway = builder.build();
    this.target = url.getScheme() + "://" + url.getRawAuthority() + path;
    this.retries = retries;
    this.backoff = backoff;
    this.recorded = recorded;
  }

  /**
   * Pushes now, retrying up to the configured number of times with a growing backoff.
   *
   * @return whether the push landed
   */
  synchronized boolean push() {
    long snapshot = recorded.getAsLong();
    for (int attempt = 0; ; attempt++) {
      try {
        gateway.push();
        pushes++;
        recordedAtLastPush = snapshot;
        lastPushFailed = false;
        return true;
      } catch (IOException | RuntimeException e) {
        if (attempt >= retries) {
          failures++;
          lastPushFailed = true;
          failureLog.log("push to the Pushgateway at " + target + " failed after " + (attempt + 1) + " attempts", e);
          return false;
        }
        retried++;
        try {
          Thread.sleep(backoff.multipliedBy(attempt + 1));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          failures++;
          lastPushFailed = true;
          return false;
        }
      }
    }
  }

  /** Pushes that landed. */
  synchronized long pushes() {
    return pushes;
  }

  /** Pushes that failed after every retry. */
  synchronized long failures() {
    return failures;
  }

  /** Retries made (attempts beyond the first of each push). */
  synchronized long retried() {
    return retried;
  }

  /**
   * Results the Pushgateway does not hold: those recorded after the last successful push, when the
   * most recent push failed; 0 when it succeeded.
   */
  synchronized long undelivered() {
    return lastPushFailed ? Math.max(0, recorded.getAsLong() - recordedAtLastPush) : 0;
  }

  /** The Pushgateway's address, without credentials (there are none in it). */
  String target() {
    return target;
  }
}
