package dev.stampede.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.engine.HttpFactory;
import dev.stampede.http.HttpSession;
import java.net.URI;

/** The HTTP client every user of a CLI run gets. */
final class HttpClients {

  private HttpClients() {}

  static HttpFactory sessions() {
    ObjectMapper mapper = new ObjectMapper();
    return (host, sink) -> HttpSession.builder()
        .baseUrl(host.isEmpty() ? null : URI.create(host))
        .sink(sink)
        .objectMapper(mapper)
        .build();
  }
}
