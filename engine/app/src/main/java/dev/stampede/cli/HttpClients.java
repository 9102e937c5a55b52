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

  /** Sessions with the client's defaults. */
  static HttpFactory sessions() {
    return sessions(HttpSession.DEFAULT_ACCEPT_ENCODING, HttpSession.DEFAULT_MAX_BODY_KEPT);
  }

  /**
   * Sessions that send {@code acceptEncoding} ({@code null}: none) and keep bodies up to
   * {@code maxBodyKept} bytes.
   */
  static HttpFactory sessions(String acceptEncoding, long maxBodyKept) {
    ObjectMapper mapper = new ObjectMapper();
    // One resolver per host for all users of the run: they request the same paths.
    Map<String, PathResolver> resolvers = new ConcurrentHashMap<>();
    return (host, sink) -> HttpSession.builder()
        .paths(resolvers.computeIfAbsent(host, h -> PathResolver.forBase(h.isEmpty() ? null : URI.create(h))))
        .sink(sink)
        .objectMapper(mapper)
        .acceptEncoding(acceptEncoding)
        .maxBodyKept(maxBodyKept)
        .build();
  }
}
