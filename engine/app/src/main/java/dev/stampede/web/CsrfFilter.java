package dev.stampede.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Refuses (403) a POST without the header {@code X-Stampede: 1}. A cross-site form cannot set a
 * header, and a cross-site script that does triggers a CORS preflight this server never approves,
 * so another web site open in the same browser cannot start, stop or reset a load test.
 */
final class CsrfFilter extends Filter {

  /** The header every POST must carry (value {@code 1}); browsers do not let other sites set it. */
  static final String HEADER = "X-Stampede";

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (!exchange.getRequestMethod().equals("POST") || "1".equals(exchange.getRequestHeaders().getFirst(HEADER))) {
      chain.doFilter(exchange);
      return;
    }
    try (exchange) {
      Responses.sendJson(exchange, 403, Responses.error("POST requests must come from the Stampede page"));
    }
  }

  @Override
  public String description() {
    return "POSTs need " + HEADER + ": 1 (CSRF)";
  }
}
