package dev.stampede;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How one request is sent and judged; handed to the consumer of {@link Http#request}. Methods
 * return {@code this} for chaining.
 */
public interface RequestOptions {

  /** The name the result is grouped under, e.g. {@code /users/[id]}. The default is the path without query. */
  RequestOptions name(String name);

  /** Adds a request header. */
  RequestOptions header(String name, String value);

  /** A raw body with its content type. */
  RequestOptions body(byte[] body, String contentType);

  /** A text body with its content type (UTF-8). */
  RequestOptions body(String body, String contentType);

  /**
   * A JSON body: a {@code String} is sent as it is, any other object is serialised with Jackson.
   * Sets {@code Content-Type: application/json}.
   */
  RequestOptions json(Object body);

  /**
   * The response timeout for this request: from sending it to the last byte of the response,
   * redirects included. The default is the run's ({@code --timeout}, 60 seconds unless set).
   */
  RequestOptions timeout(Duration timeout);

  /**
   * The largest response body, in bytes, kept for {@link Response#text()}, {@link Response#json},
   * {@link Response#body()} and checks, as it arrives and once decoded. A longer body is still read
   * to its end and counted, then dropped; reading it fails with a message naming the limit. The
   * default is the user's (4 MiB unless {@code --max-body} says otherwise).
   */
  RequestOptions keepBody(long maxBytes);

  /**
   * Reads the response body to its end, counts it and keeps none of it, as wrk does: for downloads
   * whose content the scenario never looks at. Same as {@code keepBody(0)}.
   */
  RequestOptions discardBody();

  /**
   * The connect timeout for this request, when it needs a new connection (TCP connect, and the
   * TLS handshake for https). The default is the run's ({@code --connect-timeout}, 10 seconds
   * unless set).
   */
  RequestOptions connectTimeout(Duration timeout);

  /**
   * A check on the response: when {@code check} is false, the request is recorded as a failure
   * with {@code message}, even with a 2xx status (a 200 with the wrong body is a failure).
   */
  RequestOptions expect(Predicate<Response> check, String message);

  /** Statuses that count as success besides 2xx and 3xx, e.g. 404 for a lookup that may miss. */
  RequestOptions allowStatus(int... statuses);
}
