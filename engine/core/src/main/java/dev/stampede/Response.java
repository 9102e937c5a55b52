package dev.stampede;

import java.util.List;
import java.util.Map;

/**
 * A received response, or the record of a request that got none ({@link #status()} 0).
 */
public interface Response {

  /** The HTTP status, or 0 when no response was received. */
  int status();

  /** Whether the request was recorded as a success. */
  boolean ok();

  /** The failure message, or {@code null} on success. */
  String failure();

  /**
   * The body as UTF-8 text, decoded from {@code gzip} or {@code deflate} when the server encoded it;
   * empty when there was none.
   *
   * @throws IllegalStateException when the body was not kept (longer than the keep limit, or
   *     {@link RequestOptions#discardBody}) or its content encoding cannot be decoded
   */
  String text();

  /**
   * The body bytes, decoded like {@link #text()}; empty when there was none.
   *
   * @throws IllegalStateException as {@link #text()}
   */
  byte[] body();

  /**
   * The body parsed as JSON into {@code type} (Jackson), e.g. {@code Map.class}.
   *
   * @throws IllegalStateException as {@link #text()}
   */
  <T> T json(Class<T> type);

  /**
   * The body's size in bytes as it arrived (after chunked framing, before content decoding): what
   * the statistics count as the response's bytes, kept or not.
   */
  long receivedBytes();

  /** Whether the body was kept and can be read ({@link #text()} and the like). */
  boolean bodyKept();

  /** The first value of a header (case-insensitive), or {@code null}. */
  String header(String name);

  /** Every header, names in lower case. */
  Map<String, List<String>> headers();

  /** The response time in milliseconds. */
  double millis();
}
