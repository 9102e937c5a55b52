package dev.stampede.stats;

import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * The engine's own statistics of a run: per (method, name) and in total, the failures table and
 * the history. Users record inline and wait-free; a single ticker calls {@link #tick} once per
 * second, and readers get immutable snapshots.
 *
 * <p>These statistics never pass through the result bus, so no listener can make them lose data.
 */
public final class RunStats {

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, EndpointRecorder>> byMethod =
      new ConcurrentHashMap<>();
  private final FailureTable failures = new FailureTable();
  private final History history;
  private final long startMillis;
  private final DroppedIterations dropped;

  // Guarded by this: the total's cumulative histogram and its rate window.
  private final Histogram totalCumulative = new Histogram(EndpointRecorder.SIGNIFICANT_DIGITS);
  private final Histogram totalInterval = new Histogram(EndpointRecorder.SIGNIFICANT_DIGITS);
  private final EndpointRecorder totalWindow = new EndpointRecorder("", EndpointStats.TOTAL_NAME);
  private long lastTickMillis;
  private long lastTickCount;
  private long lastTickFailures;
  private Snapshot lastSnapshot;
  private volatile IntervalHistograms intervalSink;
  private volatile boolean intervalsForListeners;
  /** Intervals taken by ticks and not yet handed out by {@link #takeIntervals()}. */
  private final List<TickInterval> pendingIntervals = new ArrayList<>();

  /** Statistics for a run that started at {@code startMillis} (epoch milliseconds). */
  public RunStats(long startMillis, int historyCapacity) {
    this.startMillis = startMillis;
    this.lastTickMillis = startMillis;
    this.history = new History(historyCapacity);
    this.dropped = new DroppedIterations(startMillis);
  }

  /** Open model: the iterations dropped while these statistics counted. */
  public DroppedIterations dropped() {
    return dropped;
  }

  /** The recorder of one endpoint, created on first use. Callers may keep it to skip the lookup. */
  public EndpointRecorder endpoint(String method, String name) {
    ConcurrentHashMap<String, EndpointRecorder> byName = byMethod.get(method);
    if (byName == null) {
      byName = byMethod.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
    }
    EndpointRecorder recorder = byName.get(name);
    if (recorder == null) {
      recorder = byName.computeIfAbsent(name, n -> new EndpointRecorder(method, n));
    }
    return recorder;
  }

  /** Records one result. Safe from any thread. */
  public void record(String method, String name, long responseTimeNanos, long bytes, String failure, long nowMillis) {
    endpoint(method, name).record(responseTimeNanos, bytes, failure != null);
    if (failure != null) {
      failures.record(method, name, failure, nowMillis);
    }
  }

  /**
   * Ends the current one-second interval: folds interval histograms into the cumulative ones,
   * adds a history point and returns the snapshot for the console, web page and listeners.
   */
  public synchronized Snapshot tick(long nowMillis, int users) {
    totalInterval.reset();
    long count = 0;
    long failed = 0;
    IntervalHistograms sink = intervalSink;
    java.util.Map<String, Histogram> intervals = sink == null ? null : new java.util.TreeMap<>();
    boolean taking = intervalsForListeners;
    Map<String, Map<String, Map<String, Long>>> errors = taking ? failures.takeSinceLastCall() : Map.of();
    List<TickInterval.Endpoint> taken = taking ? new ArrayList<>() : List.of();
    for (EndpointRecorder recorder : recorders()) {
      Histogram interval = recorder.drainInterval();
      totalInterval.add(interval);
      if (taking) {
        TickInterval.Endpoint endpoint = recorder.takeInterval(interval,
            errors.getOrDefault(recorder.method(), Map.of()).getOrDefault(recorder.name(), Map.of()));
        if (endpoint != null) {
          taken.add(endpoint);
        }
      }
      if (intervals != null) {
        intervals.put(recorder.method().isEmpty() ? recorder.name() : recorder.method() + " " + recorder.name(),
            interval);
      }
      recorder.markTick(nowMillis);
      count += recorder.count();
      failed += recorder.failures();
    }
    totalCumulative.add(totalInterval);
    markTotalWindow(nowMillis, count, failed);
    if (sink != null) {
      sink.onInterval(lastTickMillis, nowMillis, intervals, totalInterval);
    }
    if (taking) {
      pendingIntervals.add(new TickInterval(lastTickMillis, nowMillis, taken));
    }

    double intervalSeconds = Math.max(1, nowMillis - lastTickMillis) / 1000.0;
    long intervalCount = count - lastTickCount;
    long intervalFailures = failed - lastTickFailures;
    Percentiles intervalPercentiles = EndpointRecorder.percentiles(totalInterval);
    history.add(new HistoryPoint(nowMillis, intervalSeconds, users, intervalCount / intervalSeconds,
        intervalFailures / intervalSeconds, intervalPercentiles, count, failed));
    lastTickMillis = nowMillis;
    lastTickCount = count;
    lastTickFailures = failed;

    double elapsed = elapsedSeconds(nowMillis);
    lastSnapshot = new Snapshot(nowMillis, elapsed, users, total(elapsed), endpoints(elapsed), intervalCount,
        intervalFailures, intervalPercentiles.at(50), intervalPercentiles.at(95), intervalPercentiles.at(99));
    return lastSnapshot;
  }

  /**
   * Whether each {@link #tick} also takes a {@link TickInterval}, for listeners fed the engine's
   * intervals ({@link #takeIntervals()}). Off by default: it copies every endpoint's histogram.
   */
  public void intervalsForListeners(boolean take) {
    this.intervalsForListeners = take;
  }

  /**
   * The intervals ticks took since the last call, oldest first, each handed out once: whoever
   * ticks (the ticker, a reset of the statistics, the stop) passes on what it takes.
   */
  public synchronized List<TickInterval> takeIntervals() {
    List<TickInterval> taken = List.copyOf(pendingIntervals);
    pendingIntervals.clear();
    return taken;
  }

  /** Receives each tick's interval histograms from now on ({@code null}: none). */
  public void intervalHistograms(IntervalHistograms sink) {
    this.intervalSink = sink;
  }

  /**
   * The whole run's histograms and raw counters as of the last tick, per endpoint (sorted by key)
   * and in total: copies the caller owns, which merge exactly with another run's.
   */
  public synchronized RunHistograms histograms() {
    List<EndpointHistogram> list = new ArrayList<>();
    long count = 0;
    long failed = 0;
    long bytes = 0;
    long sumNanos = 0;
    for (EndpointRecorder recorder : recorders()) {
      list.add(new EndpointHistogram(recorder.method(), recorder.name(), recorder.cumulative().copy(),
          recorder.count(), recorder.failures(), recorder.bytes(), recorder.sumNanos()));
      count += recorder.count();
      failed += recorder.failures();
      bytes += recorder.bytes();
      sumNanos += recorder.sumNanos();
    }
    list.sort(Comparator.comparing(EndpointHistogram::name).thenComparing(EndpointHistogram::method));
    return new RunHistograms(list, new EndpointHistogram("", EndpointStats.TOTAL_NAME, totalCumulative.copy(),
        count, failed, bytes, sumNanos));
  }

  /** The latest snapshot, or {@code null} before the first tick. */
  public synchronized Snapshot lastSnapshot() {
    return lastSnapshot;
  }

  /** Per-endpoint statistics as of the last tick, sorted by key. */
  public synchronized List<EndpointStats> endpoints(double elapsedSeconds) {
    List<EndpointStats> list = new ArrayList<>();
    for (EndpointRecorder recorder : recorders()) {
      list.add(recorder.toStats(elapsedSeconds));
    }
    list.sort(Comparator.comparing(EndpointStats::name).thenComparing(EndpointStats::method));
    return list;
  }

  /** All endpoints together as of the last tick. */
  public synchronized EndpointStats total(double elapsedSeconds) {
    long count = 0;
    long failed = 0;
    long bytes = 0;
    long sumNanos = 0;
    for (EndpointRecorder recorder : recorders()) {
      count += recorder.count();
      failed += recorder.failures();
      bytes += recorder.bytes();
      sumNanos += recorder.sumNanos();
    }
    double[] rates = totalWindow.currentRates();
    return EndpointRecorder.stats("", EndpointStats.TOTAL_NAME, count, failed, bytes, sumNanos, totalCumulative,
        elapsedSeconds, rates[0], rates[1]);
  }

  /** The failures table, most frequent first. */
  public List<FailureStats> failures() {
    return failures.snapshot();
  }

  /** The run's history. */
  public History history() {
    return history;
  }

  /** Seconds from the start to {@code nowMillis}. */
  public double elapsedSeconds(long nowMillis) {
    return Math.max(0, nowMillis - startMillis) / 1000.0;
  }

  /** When the run started (epoch milliseconds). */
  public long startMillis() {
    return startMillis;
  }

  private List<EndpointRecorder> recorders() {
    List<EndpointRecorder> list = new ArrayList<>();
    byMethod.values().forEach(byName -> list.addAll(byName.values()));
    return list;
  }

  private void markTotalWindow(long nowMillis, long count, long failed) {
    totalWindow.markTickWith(nowMillis, count, failed);
  }
}
