package dev.stampede.engine;

import dev.stampede.Http;

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
}
