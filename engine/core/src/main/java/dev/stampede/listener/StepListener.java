package dev.stampede.listener;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.stats.IntervalAggregator;
import dev.stampede.stats.IntervalStats;
import dev.stampede.stats.TickInterval;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The base of a listener that exports one aggregate per step, in the manner of Micrometer's
 * {@code StepMeterRegistry}: the engine's statistics of each tick ({@link TickInterval}) are folded
 * into the step by the engine's {@link IntervalAggregator} on the listener's thread, and each step
 * is handed to {@link #publish} once it has ended. So a step listener reads no result: the engine
 * counted each one already, and the step's counts are the engine's, never a result dropped.
 *
 * <p>Steps are aligned to the wall clock: they end at every multiple of the step since the epoch
 * (every 10 s at :00, :10, :20 ...), whenever the run started, so every backend and every load
 * generator of a sharded run put the same results in the same buckets. The engine ticks on whole
 * seconds, so a step of whole seconds takes exactly the results recorded in it, and is published
 * at the tick that ends it (a step shorter than a second takes the results of a whole tick). The
 * first step starts at the boundary before the run's start; a step in which nothing happened is not
 * published. At {@link #onStop} the last, partial step is published, then {@link #stop} flushes.
 *
 * <p>Driven directly with {@link #onResults} (a caller of its own, a test), it folds the results
 * instead, and its clock ends the steps at results and ticks.
 *
 * <p>{@link #publish} must not throw; if it does, the step's results are counted as lost
 * ({@link #resultsLost()}), logged once at warn and then at debug.
 */
public abstract class StepListener implements Listener {

  private final long stepMillis;
  private final int maxEndpoints;
  private final Clock clock;
  private final WarnThenDebugLogger failureLog;

  private IntervalAggregator aggregator;
  private long stepEndMillis;
  private long resultsLost;
  private boolean stopped;
  /** Whether the engine feeds this listener its tick intervals: their times then end the steps. */
  private boolean fed;

  /**
   * @param step the step, >= 1 ms
   * @param maxEndpoints distinct (method, name) pairs kept apart per step; further ones are folded
   *     into {@link IntervalStats#OTHER_NAME}
   * @param clock the wall clock that ends steps
   */
  protected StepListener(Duration step, int maxEndpoints, Clock clock) {
    if (step.toMillis() < 1) {
      throw new IllegalArgumentException("step must be >= 1ms but was " + step);
    }
    if (maxEndpoints < 1) {
      throw new IllegalArgumentException("maxEndpoints must be >= 1 but was " + maxEndpoints);
    }
    this.stepMillis = step.toMillis();
    this.maxEndpoints = maxEndpoints;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failureLog = new WarnThenDebugLogger(getClass());
  }

  /** Starts the first step, then calls {@link #start}. */
  @Override
  public final void onStart(RunInfo run) {
    long now = clock.millis();
    long boundary = now - Math.floorMod(now, stepMillis);
    aggregator = new IntervalAggregator(maxEndpoints, boundary);
    stepEndMillis = boundary + stepMillis;
    start(run);
  }

  /**
   * {@link Feed#INTERVALS}: a step listener exports aggregates, which it makes from the engine's
   * own statistics of each tick instead of reading every result again (decision 0012).
   */
  @Override
  public Feed feed() {
    return Feed.INTERVALS;
  }

  /**
   * Folds the engine's interval into the step it started in, and publishes that step once the
   * interval reached its end. The engine ticks on whole seconds, so with a step of whole seconds
   * every interval lies within one step.
   */
  @Override
  public void onInterval(TickInterval interval) {
    if (aggregator == null || stopped) {
      return;
    }
    fed = true;
    publishIfStepEnded(interval.startMillis());
    for (TickInterval.Endpoint endpoint : interval.endpoints()) {
      aggregator.add(endpoint);
    }
    publishIfStepEnded(interval.endMillis());
  }

  /**
   * Publishes the step that ended before these results arrived, then folds them into the current
   * one. The engine feeds a step listener intervals ({@link #feed()}); results come from a caller
   * that drives the listener itself.
   */
  @Override
  public void onResults(List<RequestResult> batch) {
    if (aggregator == null || stopped) {
      return;
    }
    publishIfStepEnded(clock.millis());
    aggregator.addAll(batch);
  }

  /** Publishes a step that has ended (unless intervals end the steps), then calls {@link #onSnapshot}. */
  @Override
  public final void onTick(Snapshot snapshot) {
    if (aggregator == null || stopped) {
      return;
    }
    if (!fed) {
      publishIfStepEnded(clock.millis());
    }
    try {
      onSnapshot(snapshot);
    } catch (RuntimeException e) {
      failureLog.log(this + " failed on a tick", e);
    }
  }

  /** Publishes the last, partial step, then calls {@link #stop} to flush. */
  @Override
  public final void onStop(Summary summary) {
    if (aggregator == null || stopped) {
      return;
    }
    stopped = true;
    long now = clock.millis();
    if (!aggregator.isEmpty() || hasUnpublishedData()) {
      publishSafely(aggregator.drain(Math.max(now, stepStartMillis() + 1)));
    }
    stop(summary);
  }

  /** Called once at start, after the first step began: start clients and senders here. */
  protected abstract void start(RunInfo run);

  /**
   * Exports one step: {@link IntervalStats#startMillis()} is the step's wall-clock boundary,
   * {@link IntervalStats#endMillis()} the next one (or the stop, for the last step).
   */
  protected abstract void publish(IntervalStats step);

  /** Called with every engine tick (1 s), e.g. for the number of users. The default does nothing. */
  protected void onSnapshot(Snapshot snapshot) {}

  /**
   * Whether the listener holds something of its own for the current step (from {@link #onSnapshot},
   * say), so that a step without results is published too. The default is {@code false}.
   */
  protected boolean hasUnpublishedData() {
    return false;
  }

  /** Called once after the last step was published: flush and wait for delivery, up to a timeout. */
  protected abstract void stop(Summary summary);

  /** The step in milliseconds. */
  protected final long stepMillis() {
    return stepMillis;
  }

  /** When the current step started (epoch milliseconds, a multiple of the step). */
  protected final long stepStartMillis() {
    return stepEndMillis - stepMillis;
  }

  /** Results folded into {@link IntervalStats#OTHER_NAME} because of the endpoint cap, so far. */
  protected final long overflowedEndpoints() {
    return aggregator == null ? 0 : aggregator.overflowedEndpoints();
  }

  /** Results of steps whose {@link #publish} threw. */
  protected final long resultsLost() {
    return resultsLost;
  }

  /** The clock that ends steps. */
  protected final Clock clock() {
    return clock;
  }

  /** Publishes the current step if it ended before {@code now} (epoch milliseconds). */
  private void publishIfStepEnded(long now) {
    if (now < stepEndMillis) {
      return;
    }
    long boundary = now - Math.floorMod(now, stepMillis);
    if (aggregator.isEmpty() && !hasUnpublishedData()) {
      // Nothing happened: the next step starts at the boundary.
      aggregator.drain(boundary);
    } else {
      publishSafely(aggregator.drain(boundary));
    }
    stepEndMillis = boundary + stepMillis;
  }

  private void publishSafely(IntervalStats step) {
    try {
      publish(step);
    } catch (RuntimeException e) {
      resultsLost += step.total() == null ? 0 : step.total().count();
      failureLog.log(this + " failed to publish a step", e);
    }
  }
}
