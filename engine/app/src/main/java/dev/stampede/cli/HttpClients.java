package dev.stampede.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.engine.HttpFactory;
import dev.stampede.http.HttpSession;
import dev.stampede.http.PathResolver;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The HTTP client every user of a CLI run gets. */
final class HttpClients {

  private HttpClients() {}

  static HttpFactory sessions() {
    ObjectMapper mapper = new ObjectMapper();
    // One resolver per host for all users of the run: they request the same paths.
    Map<String, PathResolver> resolvers = new ConcurrentHashMap<>();
    return (host, sink) -> HttpSession.builder()
        .paths(resolvers.computeIfAbsent(host, h -> PathResolver.forBase(h.isEmpty() ? null : URI.create(h))))
        .sink(sink)
        .objectMapper(mapper)
        .build();
  }
}
