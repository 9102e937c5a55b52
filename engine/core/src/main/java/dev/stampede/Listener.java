package dev.stampede;

import dev.stampede.stats.TickInterval;
import java.time.Duration;
import java.util.List;

/**
 * Receives every request result of a run, in batches, or the engine's statistics of every tick
 * ({@link #feed()}), and exports them to a backend.
 *
 * <p>The engine calls every method of one listener from that listener's own thread, in this
 * order: {@link #onStart} once, then {@link #onResults} (or {@link #onInterval}) and
 * {@link #onTick} interleaved, then
 * {@link #onStop} once and {@link #close}. A listener therefore needs no synchronisation of its
 * own, and a slow listener delays only itself: the engine's statistics never wait for it.
 *
 * <p>A listener should not throw: the engine catches, logs once at warn and then at debug, and
 * counts the batch as failed. What a listener could not deliver to its backend it reports in
 * {@link #report()}.
 */
public interface Listener extends AutoCloseable {

  /**
   * Runs this listener's per-result path on a throw-away copy for at most {@code budget}, so the
   * JIT compiles it before the load starts instead of during the run (see
   * {@link dev.stampede.listener.WarmUp}). The copy must export nothing: no server, no push, no
   * connection, and it must not touch this listener's state. The engine calls it once, on a thread
   * of its own, at the same time as {@link #onStart}, and starts the load after it returned or the
   * budget ran out. The default does nothing.
   */
  default void warmUp(Duration budget) {}

  /** Called once before the first result; start servers and clients here. */
  void onStart(RunInfo run);

  /** Called with the next batch of results, in the order they were published; never empty. */
  void onResults(List<RequestResult> batch);

  /**
   * What this listener takes from the engine. {@link Feed#RESULTS} (the default): every result,
   * through {@link #onResults}. {@link Feed#INTERVALS}: the engine's own statistics of every tick,
   * through {@link #onInterval}, and no result at all.
   */
  default Feed feed() {
    return Feed.RESULTS;
  }

  /**
   * Called once per tick with what the engine recorded since the previous one, just before that
   * tick's {@link #onTick}; only when {@link #feed()} is {@link Feed#INTERVALS}. The last interval
   * comes before {@link #onStop} and holds every result up to the end of the load.
   */
  default void onInterval(TickInterval interval) {}

  /** Called once per engine interval (1 s) with users, requests/s and percentiles. */
  default void onTick(Snapshot snapshot) {}

  /** Called once after the last batch: flush everything, wait for delivery up to a timeout, return. */
  void onStop(Summary summary);

  /** What this listener delivered and failed to deliver; read after {@link #onStop}. */
  default ExportReport report() {
    return ExportReport.NONE;
  }

  /** Releases resources; called after {@link #onStop}, also when the run failed to start. */
  @Override
  default void close() {}

  /**
   * How a listener is fed. A listener that exports aggregates (counts and percentiles per step)
   * takes {@link #INTERVALS}: the engine has already counted every result into its statistics, so
   * reading each result again on the listener's thread would only cost CPU the load needs
   * (decision 0012). A listener that needs each result (a log of requests, a histogram of its own)
   * takes {@link #RESULTS}.
   */
  enum Feed {
    /** Every result, in batches, through a bounded queue of the listener's own. */
    RESULTS,
    /** The engine's statistics once per tick; the listener never drops a result. */
    INTERVALS
  }
}
