package dev.stampede.listener.prometheus;

import java.util.HashMap;
import java.util.Map;

/**
 * Caps how many distinct values a label gets, so a scenario that forgets to group URLs with ids
 * cannot create a series per request and explode Prometheus.
 *
 * <p>The first {@code max} distinct keys keep their own value; later keys map to
 * {@link PrometheusNames#OTHER}. Not thread-safe: the listener uses it from its own thread.
 *
 * @param <K> what is counted as distinct, e.g. a (method, name) pair
 */
final class CardinalityLimiter<K> {

  private final int max;
  private final Map<K, Boolean> admitted = new HashMap<>();
  private long overflowed;

  CardinalityLimiter(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 but was " + max);
    }
    this.max = max;
  }

  /**
   * Whether {@code key} keeps its own label value: {@code true} for the first {@code max} distinct
   * keys (and every later use of them), {@code false} for any other, which the caller maps to
   * {@link PrometheusNames#OTHER}.
   */
  boolean admit(K key) {
    Boolean own = admitted.get(key);
    if (own != null) {
      return own;
    }
    if (admitted.size() < max) {
      admitted.put(key, Boolean.TRUE);
      return true;
    }
    overflowed++;
    return false;
  }

  /** Uses of keys beyond the cap so far (each use counts, not each distinct key). */
  long overflowed() {
    return overflowed;
  }
}
