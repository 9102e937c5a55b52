package dev.stampede.listener.prometheus;

import dev.stampede.listener.PushSender;
import dev.stampede.listener.SendException;
import dev.stampede.support.WarnThenDebugLogger;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Pushes the whole registry to a Pushgateway, replacing the group {@code job/run_id/instance} each
 * time (HTTP PUT). Each item the {@link PushSender} hands over stands for the results recorded since
 * the one before; since every push carries cumulative counts, one push that lands confirms them all.
 */
final class PushgatewayTransport implements PushSender.Transport<Long> {

  private final PushGateway gateway;
  private final String target;

  PushgatewayTransport(PrometheusRegistry registry, URI url, String job, String runId, String instance,
      String username, String password, Duration timeout) {
    String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    PushGateway.Builder builder = PushGateway.builder()
        .registry(registry)
        .format(Format.PROMETHEUS_TEXT)
        .scheme(Scheme.fromString(url.getScheme().toLowerCase(Locale.ROOT)))
        .address(url.getRawAuthority() + path)
        .job(job)
        .groupingKey(PrometheusNames.RUN_ID, runId)
        .groupingKey(PrometheusNames.INSTANCE, instance)
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
  }

  @Override
  public void send(List<Long> batch) {
    try {
      gateway.push();
    } catch (IOException | RuntimeException e) {
      throw new SendException("push to the Pushgateway at " + target + " failed: "
          + WarnThenDebugLogger.describe(e), true, e);
    }
  }

  /** The Pushgateway's address, without credentials (there are none in it). */
  String target() {
    return target;
  }
}
