package dev.stampede.listener.prometheus;

import dev.stampede.config.Secrets;
import dev.stampede.listener.PushSender;
import dev.stampede.listener.SendException;
import dev.stampede.support.WarnThenDebugLogger;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Sends the whole registry to a Prometheus remote-write endpoint (protocol 1.0: protobuf
 * {@code WriteRequest}, snappy, HTTP POST), as k6's Prometheus output does, for runs that nothing
 * scrapes. Like the Pushgateway, each send carries cumulative counts, so one that lands confirms
 * every item before it. Only a 2xx answer confirms; 5xx and 429 are retried, other statuses are not.
 *
 * <p>https://prometheus.io/docs/specs/remote_write_spec/
 */
final class RemoteWriteTransport implements PushSender.Transport<Long> {

  private final PrometheusRegistry registry;
  private final RemoteWriteEncoder encoder;
  private final URI url;
  private final Duration timeout;
  private final String authorization;
  private final LongSupplier clock;
  private final HttpClient http;

  RemoteWriteTransport(PrometheusRegistry registry, RemoteWriteEncoder encoder, URI url, String username,
      String password, Duration timeout, LongSupplier wallClockMillis) {
    this.registry = registry;
    this.encoder = encoder;
    this.url = url;
    this.timeout = timeout;
    this.authorization = username == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.clock = wallClockMillis;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void send(List<Long> batch) {
    byte[] body = encoder.encode(registry.scrape(), clock.getAsLong());
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header("User-Agent", "stampede")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SendException("remote write to " + target() + " failed: " + WarnThenDebugLogger.describe(e), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendException("remote write to " + target() + " was interrupted", false, e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return;
    }
    String reply = response.body() == null ? "" : response.body().lines().findFirst().orElse("");
    throw new SendException("remote write to " + target() + " answered HTTP " + status
        + (reply.isBlank() ? "" : ": " + Secrets.maskUrl(reply)), status == 429 || status / 100 == 5, null);
  }

  /** The endpoint, without credentials (there are none in it). */
  String target() {
    return url.toString();
  }

  @Override
  public void close() {
    http.close();
  }
}
