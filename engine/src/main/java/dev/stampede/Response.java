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

  /** The body as UTF-8 text; empty when there was none. */
  String text();

  /** The body bytes; empty when there was none. */
  byte[] body();

  /** The body parsed as JSON into {@code type} (Jackson), e.g. {@code Map.class}. */
  <T> T json(Class<T> type);

  /** The first value of a header (case-insensitive), or {@code null}. */
  String header(String name);

  /** Every header, names in lower case. */
  Map<String, List<String>> headers();

  /** The response time in milliseconds. */
  double millis();
}
