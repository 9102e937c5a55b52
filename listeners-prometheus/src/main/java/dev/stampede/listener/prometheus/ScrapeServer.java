package dev.stampede.listener.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code GET /metrics} from one registry on the JDK's HTTP server, in the Prometheus text
 * format or, when the scraper asks for it, OpenMetrics or the protobuf format (native histograms); and counts scrapes so the listener can
 * linger after a run until the final counts have been scraped.
 */
final class ScrapeServer implements AutoCloseable {

  static final String PATH = "/metrics";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Object lock = new Object();
  private long started;
  private long completed;
  private long lingerMark = Long.MAX_VALUE;
  private long completedAfterMark;

  private ScrapeServer(HttpServer server, ExecutorService executor, PrometheusRegistry registry) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
  }

  /**
   * Binds to {@code host:port} (port 0 picks a free one) and starts serving.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  static ScrapeServer start(String host, int port, PrometheusRegistry registry) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve /metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("stampede-prometheus-http").factory());
    ScrapeServer scrapeServer = new ScrapeServer(server, executor, registry);
    server.createContext(PATH, scrapeServer::handle);
    server.setExecutor(executor);
    server.start();
    return scrapeServer;
  }

  /** The port the server is bound to. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Scrapes served completely so far. */
  long scrapes() {
    synchronized (lock) {
      return completed;
    }
  }

  /**
   * Waits until {@code scrapes} scrapes that started after this call have been served, or
   * {@code timeout} has passed.
   *
   * @return whether that many scrapes were served
   */
  boolean awaitScrapesAfterNow(int scrapes, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      lingerMark = started;
      completedAfterMark = 0;
      while (completedAfterMark < scrapes) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, remaining);
      }
      return true;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      long scrape;
      synchronized (lock) {
        scrape = ++started;
      }
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      // The Prometheus protobuf format when the scraper asks for it (Prometheus with native
      // histograms enabled does): the only exposition that carries native histograms.
      ExpositionFormatWriter writer = formats.findWriter(accept);
      String contentType = writer.getContentType();
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      writer.write(buffer, registry.scrape());
      byte[] body = buffer.toByteArray();
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      synchronized (lock) {
        completed++;
        if (scrape > lingerMark) {
          completedAfterMark++;
          lock.notifyAll();
        }
      }
    }
  }

  /** Stops serving at once and releases the port. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
