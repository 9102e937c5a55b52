package dev.stampede.listener.prometheus;

import dev.stampede.Listener;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ListenerCompatibilityKit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The engine's listener test kit, with the backend played by a scraper that polls the listener's
 * {@code /metrics} over HTTP the way Prometheus does. Counts are read from the last scrape the
 * scraper got before the server closed, so a pass also proves the listener lingers after the run
 * until a scrape has seen the final counts.
 */
class PrometheusListenerCompatibilityTest extends ListenerCompatibilityKit {

  private Scraper scraper;

  @Override
  protected Listener createListener() {
    PrometheusListener listener = PrometheusListener.builder().config(ConfigSource.of(Map.of(
        "prometheus.port", "0", "prometheus.linger", "30s", "prometheus.linger-scrapes", "1"))).build();
    scraper = new Scraper(listener);
    scraper.start();
    return listener;
  }

  @Override
  protected Listener createListenerForSilentBackend(String url) {
    return PrometheusListener.builder().config(ConfigSource.of(Map.of(
        "prometheus.server", "false",
        "prometheus.pushgateway.url", url, "prometheus.pushgateway.timeout", "200ms",
        "prometheus.remote-write.url", url + "/api/v1/write", "prometheus.remote-write.timeout", "200ms",
        "prometheus.flush-timeout", "2s"))).build();
  }

  @Override
  protected long backendRequestCount(String runId) throws Exception {
    return (long) scraper.finalExposition().sum(PrometheusNames.REQUESTS, Map.of(PrometheusNames.RUN_ID, runId));
  }

  @Override
  protected long backendFailureCount(String runId) throws Exception {
    return (long) scraper.finalExposition().sum(PrometheusNames.REQUESTS,
        Map.of(PrometheusNames.RUN_ID, runId, PrometheusNames.OUTCOME, PrometheusNames.FAILURE));
  }

  /** Scrapes every 20 ms from when the listener serves until its server is gone. */
  private static final class Scraper extends Thread {
    private final PrometheusListener listener;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String lastBody = "";

    Scraper(PrometheusListener listener) {
      super("kit-scraper");
      setDaemon(true);
      this.listener = listener;
    }

    /**
     * Scrapes every 20 ms, as Prometheus would, until the server goes away. Not a wait for a
     * condition but the stimulus the listener's linger needs; the deadline only bounds a server
     * that never goes.
     */
    @Override
    public void run() {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      try {
        while (System.nanoTime() < deadline) {
          int port = listener.port();
          if (port > 0) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
            try {
              lastBody = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
            } catch (java.net.ConnectException serverGone) {
              return;
            } catch (IOException slowOrReset) {
              // A scrape that timed out on a busy machine, or a connection closed under it: the
              // server is still there (else connecting fails), so scrape again rather than keep
              // counts that may predate the run's end.
            }
          }
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    Exposition finalExposition() throws InterruptedException {
      join(Duration.ofSeconds(30));
      if (isAlive()) {
        throw new AssertionError("the listener's /metrics server was still up 30 s after the run stopped");
      }
      return Exposition.parse(lastBody);
    }
  }
}
