package dev.stampede.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Http;
import dev.stampede.Tls;
import dev.stampede.engine.HttpFactory;
import dev.stampede.engine.ResultSink;
import dev.stampede.http.HttpSession;
import dev.stampede.http.PathResolver;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The HTTP client every user of a CLI run gets. */
public final class HttpClients {

  private HttpClients() {}

  /** Sessions with the client's defaults. */
  public static HttpFactory sessions() {
    return sessions(session -> {});
  }

  /**
   * Sessions with the command line's options applied by {@code options}; a user class with TLS
   * settings of its own ({@link dev.stampede.User#tls()}) gets them instead of the run's.
   */
  static HttpFactory sessions(Consumer<HttpSession.Builder> options) {
    ObjectMapper mapper = new ObjectMapper();
    // One resolver per host for all users of the run: they request the same paths.
    Map<String, PathResolver> resolvers = new ConcurrentHashMap<>();
    return new HttpFactory() {
      @Override
      public Http create(String host, ResultSink sink) {
        return create(host, sink, null);
      }

      @Override
      public Http create(String host, ResultSink sink, Tls own) {
        HttpSession.Builder builder = HttpSession.builder()
            .paths(resolvers.computeIfAbsent(host, h -> PathResolver.forBase(h.isEmpty() ? null : URI.create(h))))
            .sink(sink)
            .objectMapper(mapper);
        options.accept(builder);
        if (own != null) {
          builder.tls(own);
        }
        return builder.build();
      }
    };
  }
}
