package dev.stampede.engine;

import dev.stampede.Http;
import dev.stampede.Tls;

/** Creates each user's HTTP client; the engine closes it when the user stops. */
@FunctionalInterface
public interface HttpFactory {

  /**
   * A new client for one user.
   *
   * @param host the base URL paths are resolved against, or an empty string
   * @param sink where the client records each request
   */
  Http create(String host, ResultSink sink);

  /**
   * A new client for one user whose class sets its own TLS settings ({@link dev.stampede.User#tls}).
   * The default accepts only {@code null} (the run's settings): a factory that cannot apply a
   * user's settings refuses them rather than ignoring them.
   *
   * @param tls the user class's settings, or {@code null} for the run's
   * @throws IllegalStateException when {@code tls} is set and this factory cannot apply it
   */
  default Http create(String host, ResultSink sink, Tls tls) {
    if (tls != null) {
      throw new IllegalStateException("this run's HTTP client cannot apply a user's own TLS settings");
    }
    return create(host, sink);
  }
}
