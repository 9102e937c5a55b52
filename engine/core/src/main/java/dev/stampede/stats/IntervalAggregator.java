package dev.stampede.stats;

import dev.stampede.RequestResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Folds request results, or the engine's tick intervals, into per-endpoint statistics for one
 * export interval, the aggregation every interval-based exporter (InfluxDB, CloudWatch) shares.
 *
 * <p>Not thread-safe: a listener owns one and feeds it from its own thread. Histograms are kept
 * across intervals and reset on {@link #drain}, so a steady run allocates nothing per result.
 */
public final class IntervalAggregator {

  /** Response times are recorded in microseconds with three significant digits. */
  static final int SIGNIFICANT_DIGITS = 3;

  private final Map<String, Map<String, EndpointAccumulator>> byMethodThenName = new HashMap<>();
  /**
   * The total, made at {@link #drain} from the endpoints' accumulators: adding their histograms once
   * an interval gives the same counts as recording every result twice.
   */
  private final EndpointAccumulator total = new EndpointAccumulator("", IntervalStats.TOTAL_NAME);
  /**
   * The last result's endpoint; at first one that matches no result (its method and name are null),
   * rather than null: a null check that only the first result takes would be compiled as a trap,
   * and the first result of every run would throw the compiled code away.
   */
  private EndpointAccumulator lastEndpoint = new EndpointAccumulator(null, null);
  private long count;
  private final int maxEndpoints;
  private long overflowedEndpoints;
  private long intervalStartMillis;

  /**
   * @param maxEndpoints how many distinct (method, name) pairs to keep apart; results of further
   *     pairs are folded into name {@link IntervalStats#OTHER_NAME} so a scenario that forgets to
   *     group URLs cannot explode a backend's cardinality
   * @param startMillis when the first interval starts (epoch milliseconds)
   */
  public IntervalAggregator(int maxEndpoints, long startMillis) {
    if (maxEndpoints < 1) {
      throw new IllegalArgumentException("maxEndpoints must be >= 1 but was " + maxEndpoints);
    }
    this.maxEndpoints = maxEndpoints;
    this.intervalStartMillis = startMillis;
  }

  /** Adds one result to the current interval. */
  public void add(RequestResult result) {
    endpoint(result).add(result);
    count++;
  }

  /**
   * The accumulator of the result's endpoint. Consecutive results are mostly of one endpoint, so the
   * last one's is tried first, before two map lookups. Results folded into {@code other} are not
   * cached: each of them is counted in {@link #overflowedEndpoints()}.
   */
  private EndpointAccumulator endpoint(RequestResult result) {
    EndpointAccumulator last = lastEndpoint;
    if (result.name().equals(last.name) && result.method().equals(last.method)) {
      return last;
    }
    EndpointAccumulator endpoint = endpoint(result.method(), result.name(), 1);
    if (endpoint.name.equals(result.name())) {
      lastEndpoint = endpoint;
    }
    return endpoint;
  }

  /** The accumulator of an endpoint, or of {@code other} past the cap, which then counts {@code results}. */
  private EndpointAccumulator endpoint(String method, String name, long results) {
    Map<String, EndpointAccumulator> byName = byMethodThenName.computeIfAbsent(method, m -> new HashMap<>());
    EndpointAccumulator endpoint = byName.get(name);
    if (endpoint == null) {
      if (endpointCount() >= maxEndpoints) {
        overflowedEndpoints += results;
        return byName.computeIfAbsent(IntervalStats.OTHER_NAME, n -> new EndpointAccumulator(method, n));
      }
      endpoint = new EndpointAccumulator(method, name);
      byName.put(name, endpoint);
    }
    return endpoint;
  }

  /**
   * Adds the engine's statistics of one endpoint over a tick. Exact, as adding its results one by
   * one, except min and max: they come from the histogram (microseconds, three significant digits),
   * as the engine's own summary's do.
   */
  public void add(TickInterval.Endpoint interval) {
    if (interval.count() == 0 && interval.micros().getTotalCount() == 0) {
      return;
    }
    endpoint(interval.method(), interval.name(), interval.count()).add(interval);
    count += interval.count();
  }

  /** Adds every result of a batch. */
  public void addAll(List<RequestResult> batch) {
    for (RequestResult result : batch) {
      add(result);
    }
  }

  /** Results that were folded into {@link IntervalStats#OTHER_NAME} because of the endpoint cap. */
  public long overflowedEndpoints() {
    return overflowedEndpoints;
  }

  /** Whether anything was added since the last drain. */
  public boolean isEmpty() {
    return count == 0;
  }

  /**
   * Ends the current interval at {@code endMillis} and returns its statistics: endpoints that saw
   * results in it (sorted by method, then name) and the total. Starts the next interval.
   */
  public IntervalStats drain(long endMillis) {
    List<IntervalStats.Endpoint> endpoints = new ArrayList<>();
    for (Map<String, EndpointAccumulator> byName : byMethodThenName.values()) {
      for (EndpointAccumulator endpoint : byName.values()) {
        if (endpoint.count > 0) {
          total.addAll(endpoint);
          endpoints.add(endpoint.snapshotAndReset());
        }
      }
    }
    endpoints.sort(Comparator.comparing(IntervalStats.Endpoint::method).thenComparing(IntervalStats.Endpoint::name));
    IntervalStats.Endpoint totalStats = total.count > 0 ? total.snapshotAndReset() : null;
    IntervalStats stats = new IntervalStats(intervalStartMillis, endMillis, endpoints, totalStats);
    intervalStartMillis = endMillis;
    count = 0;
    return stats;
  }

  private int endpointCount() {
    int count = 0;
    for (Map<String, EndpointAccumulator> byName : byMethodThenName.values()) {
      count += byName.size();
    }
    return count;
  }

  private static final class EndpointAccumulator {
    private final String method;
    private final String name;
    private final Histogram micros = new Histogram(SIGNIFICANT_DIGITS);
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private long count;
    private long failures;
    private long bytes;
    private long sumNanos;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos;

    EndpointAccumulator(String method, String name) {
      this.method = method;
      this.name = name;
    }

    void add(TickInterval.Endpoint interval) {
      micros.add(interval.micros());
      count += interval.count();
      failures += interval.failures();
      bytes += interval.bytes();
      sumNanos += interval.sumNanos();
      if (interval.micros().getTotalCount() > 0) {
        minNanos = Math.min(minNanos, interval.micros().getMinValue() * 1_000);
        maxNanos = Math.max(maxNanos, interval.micros().getMaxValue() * 1_000);
      }
      interval.errors().forEach((error, n) -> errors.merge(error, n, Long::sum));
    }

    void add(RequestResult result) {
      long nanos = result.responseTimeNanos();
      micros.recordValue(Math.max(0, nanos / 1_000));
      count++;
      bytes += result.bytes();
      sumNanos += nanos;
      minNanos = Math.min(minNanos, nanos);
      maxNanos = Math.max(maxNanos, nanos);
      if (!result.success()) {
        failures++;
        errors.merge(result.failure(), 1L, Long::sum);
      }
    }

    /** Adds another accumulator's interval (before it is reset). */
    void addAll(EndpointAccumulator other) {
      micros.add(other.micros);
      count += other.count;
      failures += other.failures;
      bytes += other.bytes;
      sumNanos += other.sumNanos;
      minNanos = Math.min(minNanos, other.minNanos);
      maxNanos = Math.max(maxNanos, other.maxNanos);
      other.errors.forEach((error, n) -> errors.merge(error, n, Long::sum));
    }

    IntervalStats.Endpoint snapshotAndReset() {
      IntervalStats.Endpoint snapshot = new IntervalStats.Endpoint(
          method, name, count, failures, bytes,
          sumNanos / 1e6 / count, minNanos == Long.MAX_VALUE ? 0 : minNanos / 1e6, maxNanos / 1e6,
          micros.copy(), Map.copyOf(errors));
      micros.reset();
      errors.clear();
      count = 0;
      failures = 0;
      bytes = 0;
      sumNanos = 0;
      minNanos = Long.MAX_VALUE;
      maxNanos = 0;
      return snapshot;
    }
  }
}
