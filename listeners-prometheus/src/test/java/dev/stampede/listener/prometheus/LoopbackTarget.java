package dev.stampede.listener.prometheus;

import com.sun.net.httpserver.HttpServer;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.engine.HttpFactory;
import dev.stampede.http.HttpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system under load in the integration tests: a JDK HTTP server on a free loopback port with
 * {@code /fast}, {@code /slow} (about 20 ms) and {@code /flaky} (every fifth request answers 500).
 */
final class LoopbackTarget implements AutoCloseable {

  /** The engine's own HTTP client, as the CLI gives every user. */
  static final HttpFactory HTTP = (host, sink) -> HttpSession.builder().baseUrl(URI.create(host)).sink(sink).build();

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong flaky = new AtomicLong();

  LoopbackTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    // Platform threads: the target must not share the carrier threads of the users' virtual threads,
    // as a real target in its own process does not.
    executor = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().name("loopback-target-", 0).factory());
    server.setExecutor(executor);
    server.createContext("/fast", exchange -> respond(exchange, 200, "fast"));
    server.createContext("/slow", exchange -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(exchange, 200, "slow".repeat(100));
    });
    server.createContext("/flaky", exchange ->
        respond(exchange, flaky.incrementAndGet() % 5 == 0 ? 500 : 200, "flaky"));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** An endpoint name that breaks naive escaping in the Prometheus text format and in PromQL. */
  static final String HOSTILE_NAME = "/search \"q\" back\\slash\nline unicodé-名前-✓";

  /**
   * A user that calls all three endpoints (one of them also under {@link #HOSTILE_NAME}), pausing
   * 10 ms between tasks to keep the load modest.
   */
  public static class ItUser extends User {

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task(3)
    void fast() {
      http().get("/fast");
    }

    @Task(1)
    void hostile() {
      http().get("/fast", options -> options.name(HOSTILE_NAME));
    }

    @Task(1)
    void slow() {
      http().get("/slow");
    }

    @Task(1)
    void flaky() {
      http().get("/flaky");
    }
  }
}
