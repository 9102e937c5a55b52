package dev.stampede.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.stampede.report.RunView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How the web page answers: every response is {@code no-store} and {@code nosniff}, JSON errors
 * are {@code {"error": "..."}}, and the page itself carries a Content-Security-Policy that lets it
 * load only its own assets and forbids framing.
 */
final class Responses {

  static final String TEXT = "text/plain; charset=utf-8";
  private static final String PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "frame-ancestors 'none'; form-action 'self'";

  private Responses() {}

  /** {@code {"error": message}}. */
  static ObjectNode error(String message) {
    ObjectNode node = RunView.newObject();
    node.put("error", message);
    return node;
  }

  /** Offers the body as a download named {@code fileName}. */
  static void attachment(HttpExchange exchange, String fileName) {
    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
  }

  static void sendPage(HttpExchange exchange, String html) throws IOException {
    exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    send(exchange, 200, "text/html; charset=utf-8", html);
  }

  static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    send(exchange, status, "application/json", RunView.toJson(body));
  }

  static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code body} (nothing for HEAD) and ends the response. */
  static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
