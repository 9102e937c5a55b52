package dev.stampede.engine;

/**
 * Where timed work is recorded: the engine's statistics, the result bus, the event hooks. One per
 * user; called from that user's thread.
 */
public interface ResultSink {

  /**
   * Records one request or measurement.
   *
   * @param method request method, or {@code custom}
   * @param name grouped name
   * @param startEpochMicros when the work started, microseconds since the epoch
   * @param startNanos {@link System#nanoTime()} when the work started
   * @param endNanos {@link System#nanoTime()} when it ended
   * @param bytes response body bytes
   * @param status HTTP status or 0
   * @param failure failure message or {@code null}
   */
  void record(String method, String name, long startEpochMicros, long startNanos, long endNanos,
      long bytes, int status, String failure);

  /**
   * Says that timed work (a request) began at {@code startNanos} ({@link System#nanoTime()}) and
   * will be recorded when it ends, so that the engine can count it as cancelled if the run stops
   * while it is in flight. The default does nothing.
   */
  default void started(long startNanos) {}

  /**
   * Records one HTTP exchange, with the URL and response that request hooks receive for
   * debugging. The default records the result alone.
   *
   * @param url the full URL requested
   * @param response the response handed to the scenario
   */
  default void recordExchange(String method, String name, long startEpochMicros, long startNanos, long endNanos,
      long bytes, int status, String failure, String url, dev.stampede.Response response) {
    record(method, name, startEpochMicros, startNanos, endNanos, bytes, status, failure);
  }
}
