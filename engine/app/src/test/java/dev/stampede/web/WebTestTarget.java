package dev.stampede.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stampede.engine.HttpFactory;
import dev.stampede.engine.LoadTest;
import dev.stampede.http.HttpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback target for web page tests: answers every request after {@link #LATENCY_MILLIS} (so a
 * few users send a bounded, modest load), with 503 for every tenth request so failures show.
 */
final class WebTestTarget implements AutoCloseable {

  /** Server-side latency of each answer; it keeps 3 users at about 150 requests/s. */
  static final long LATENCY_MILLIS = 20;
  static final String PATH = "/api/items";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong served = new AtomicLong();

  WebTestTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      long n = served.incrementAndGet();
      try {
        Thread.sleep(LATENCY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(n % 10 == 0 ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long served() {
    return served.get();
  }

  /** Builds url-mode load tests against this target (or the form's host), as the CLI's starter would. */
  RunStarter starter() {
    HttpFactory http = http();
    return request -> LoadTest.builder()
        .host(request.host() != null ? request.host() : baseUrl())
        .url(PATH)
        .users(request.users())
        .spawnRate(request.spawnRate())
        .runTime(request.runTime())
        .runId("web-test")
        .scenario("url " + PATH)
        .tags(Map.of("suite", "web"))
        .httpFactory(http)
        .build();
  }

  static HttpFactory http() {
    ObjectMapper mapper = new ObjectMapper();
    return (host, sink) -> HttpSession.builder().baseUrl(host.isEmpty() ? null : URI.create(host)).sink(sink)
        .objectMapper(mapper).build();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
