package dev.stampede.stats;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Receives, at every tick, the histograms of the interval that just ended (e.g. to write an
 * HdrHistogram log). Called on the ticker thread; the histograms are the engine's own buffers,
 * valid only during the call.
 */
@FunctionalInterface
public interface IntervalHistograms {

  /**
   * @param startMillis when the interval began (epoch milliseconds)
   * @param endMillis when it ended
   * @param endpoints each endpoint's response times in microseconds, keyed {@code "GET /x"}
   * @param total every endpoint's response times together
   */
  void onInterval(long startMillis, long endMillis, Map<String, Histogram> endpoints, Histogram total);
}
