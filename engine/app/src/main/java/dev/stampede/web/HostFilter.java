package dev.stampede.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Turns away (421) every request whose {@code Host} header is not on the {@link HostAllowList},
 * whatever address the page is bound to: a DNS-rebinding page reaches any address, under its own
 * name. The first filter: nothing else runs for such a request, not even the password check.
 */
final class HostFilter extends Filter {

  private final HostAllowList allowed;

  HostFilter(HostAllowList allowed) {
    this.allowed = allowed;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (allowed.allows(exchange.getRequestHeaders().getFirst("Host"))) {
      chain.doFilter(exchange);
      return;
    }
    try (exchange) {
      Responses.send(exchange, 421, Responses.TEXT,
          "this page answers only to localhost, IP addresses and the names of --web-allowed-host\n");
    }
  }

  @Override
  public String description() {
    return "Host header allow-list (DNS rebinding)";
  }
}
