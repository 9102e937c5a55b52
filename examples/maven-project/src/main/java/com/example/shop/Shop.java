package com.example.shop;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** The service under test: {@code GET /items/{id}} answers a small JSON document. */
public final class Shop implements AutoCloseable {

  private final HttpServer server;

  private Shop(HttpServer server) {
    this.server = server;
  }

  /** Starts the shop on loopback at {@code port} (0: a free one). */
  public static Shop start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/items/", exchange -> {
      String id = exchange.getRequestURI().getPath().substring("/items/".length());
      byte[] body = ("{\"id\":\"" + id + "\",\"price\":42}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return new Shop(server);
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
