package dev.stampede.engine;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP target for engine tests: {@code /ok} answers 200 "ok", {@code /fail} 503,
 * {@code /json} a small JSON document. It counts the requests it served.
 */
public final class TestServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicLong served = new AtomicLong();

  public TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      served.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      int status = path.startsWith("/fail") ? 503 : path.startsWith("/missing") ? 404 : 200;
      byte[] body = (path.startsWith("/json") ? "{\"id\":7,\"name\":\"x\"}" : "ok").getBytes(StandardCharsets.UTF_8);
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests served so far. */
  public long served() {
    return served.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
