package dev.stampede.listener.influx;

import java.util.List;
import org.influxdb.dto.Point;

/**
 * The two calls the listener makes to InfluxDB, so tests can stand in a fake server; the real one
 * is {@link ClientTransport}. Called from the listener's sender thread only.
 */
interface InfluxTransport extends AutoCloseable {

  /**
   * Writes {@code points} in one request.
   *
   * @throws WriteException when they were not written; {@link WriteException#retryable()} tells
   *     whether the same request may succeed later
   */
  void write(List<Point> points);

  /** Creates the database if it does not exist; same failures as {@link #write}. */
  void createDatabase();

  @Override
  default void close() {}

  /** A failed request, with a message that never contains a secret. */
  final class WriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    WriteException(String message, boolean retryable, Throwable cause) {
      super(message, cause);
      this.retryable = retryable;
    }

    /** Whether sending the same request again may succeed: InfluxDB unreachable, 5xx, 429. */
    boolean retryable() {
      return retryable;
    }
  }
}
