package dev.stampede;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Sends a {@code GET} for every path at once and returns the responses in the same order, like
   * k6's {@code http.batch}: over HTTP/2 the requests are concurrent streams of the user's one
   * connection to their origin; otherwise (HTTP/1.1, or paths on several origins) they are sent one
   * after another. Each is recorded as a request of its own, timed from the moment the batch is sent
   * to its own last byte. This default sends them one after another.
   */
  default List<Response> batch(List<String> paths) {
    List<Response> responses = new ArrayList<>(paths.size());
    for (String path : paths) {
      responses.add(get(path));
    }
    return responses;
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
