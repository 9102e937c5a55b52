package dev.stampede;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one timed request or custom measurement.
 *
 * @param startEpochMicros when the request started (or was intended to start, in the open model),
 *     in microseconds since the Unix epoch
 * @param method the request method ({@code GET}, {@code POST}, ...) or {@code custom} for
 *     {@link User#measure measured} work
 * @param name the grouped endpoint name, e.g. {@code /users/[id]}, never a raw URL with ids
 * @param responseTimeNanos the response time in nanoseconds, >= 0
 * @param bytes the response body size in bytes, >= 0
 * @param status the HTTP status code, or 0 when no response was received (connection error,
 *     timeout) or the result is not an HTTP request
 * @param failure a readable error message, or {@code null} on success
 * @param tags the run's tags ({@code --tag k=v}); the same immutable map for every result of a run
 */
public record RequestResult(
    long startEpochMicros,
    String method,
    String name,
    long responseTimeNanos,
    long bytes,
    int status,
    String failure,
    Map<String, String> tags) {

  public RequestResult {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tags, "tags");
    if (responseTimeNanos < 0) {
      throw new IllegalArgumentException("responseTimeNanos must be >= 0 but was " + responseTimeNanos);
    }
  }

  /** Whether the request succeeded. */
  public boolean success() {
    return failure == null;
  }

  /** The response time in milliseconds, with nanosecond precision. */
  public double responseTimeMillis() {
    return responseTimeNanos / 1_000_000.0;
  }
}
