package dev.stampede.listener.prometheus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback HTTP server that records what is pushed to it and answers with a settable status. */
final class StubPushgateway implements AutoCloseable {

  /** One request received. */
  record Push(String method, String path, String authorization, String body) {}

  private final HttpServer server;
  private final List<Push> pushes = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  StubPushgateway() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            exchange.getRequestHeaders().getFirst("Authorization"), body));
        exchange.sendResponseHeaders(status, -1);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void respondWith(int status) {
    this.status = status;
  }

  List<Push> pushes() {
    return List.copyOf(pushes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
