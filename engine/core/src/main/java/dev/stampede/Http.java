package dev.stampede;

import java.util.function.Consumer;

/**
 * A user's HTTP client: its own keep-alive connections and cookies, like one browser session.
 * Every call is timed and recorded as a {@link RequestResult}; it never throws for HTTP errors,
 * connection errors or timeouts: those become failed results and a {@link Response} with
 * {@link Response#ok()} false.
 *
 * <p>Paths are resolved against the run's host ({@code --host}); absolute URLs are used as they are.
 * The result's name is the path without its query string unless {@link RequestOptions#name} groups
 * it, e.g. {@code /users/[id]}.
 */
public interface Http {

  /** Sends {@code method} to {@code path} with the given options. */
  Response request(String method, String path, Consumer<RequestOptions> options);

  default Response get(String path) {
    return request("GET", path, o -> {});
  }

  default Response get(String path, Consumer<RequestOptions> options) {
    return request("GET", path, options);
  }

  default Response post(String path, Consumer<RequestOptions> options) {
    return request("POST", path, options);
  }

  default Response put(String path, Consumer<RequestOptions> options) {
    return request("PUT", path, options);
  }

  default Response patch(String path, Consumer<RequestOptions> options) {
    return request("PATCH", path, options);
  }

  default Response delete(String path) {
    return request("DELETE", path, o -> {});
  }

  default Response delete(String path, Consumer<RequestOptions> options) {
    return request("DELETE", path, options);
  }

  default Response head(String path) {
    return request("HEAD", path, o -> {});
  }
}
