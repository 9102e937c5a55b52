package dev.stampede.engine;

import dev.stampede.Events;
import dev.stampede.RequestEvent;
import dev.stampede.RequestResult;
import dev.stampede.Response;
import dev.stampede.bus.ResultBus;
import dev.stampede.stats.RunStats;
import dev.stampede.support.WarnThenDebugLogger;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A user's {@link ResultSink}: records into the engine's statistics inline, publishes to the
 * result bus when a listener is attached, and calls request hooks when any is registered.
 *
 * <p>In the open model, the first result of an iteration is timed from the iteration's intended
 * start rather than its actual start: when the target stalls, iterations queue up behind it, and
 * measuring from the actual start would hide that wait (coordinated omission).
 */
final class UserSink implements ResultSink {

  private static final WarnThenDebugLogger HOOK_ERRORS = new WarnThenDebugLogger(UserSink.class);

  private final Supplier<RunStats> stats;
  private final ResultBus bus;
  private final Events events;
  private final RunControl control;
  private final Map<String, String> tags;
  private final boolean publish;
  private final boolean hooks;
  private long intendedStartNanos;
  /** Whether this user's request in flight at the stop's cut-off was counted (a user has one at most). */
  private final AtomicBoolean cancelledCounted = new AtomicBoolean();
  /** When the request in flight started ({@link System#nanoTime}), or 0 when none is. */
  private volatile long inFlightSince;

  UserSink(Supplier<RunStats> stats, ResultBus bus, Events events, RunControl control, Map<String, String> tags) {
    this.stats = stats;
    this.bus = bus;
    this.events = events;
    this.control = control;
    this.tags = tags;
    this.publish = bus.takesResults();
    this.hooks = events.hasResultHandlers();
  }

  /** Open model: the next result is timed from {@code nanos} when that is earlier than its start. */
  void intendedStart(long nanos) {
    intendedStartNanos = nanos;
  }

  @Override
  public void record(String method, String name, long startEpochMicros, long startNanos, long endNanos,
      long bytes, int status, String failure) {
    recordExchange(method, name, startEpochMicros, startNanos, endNanos, bytes, status, failure, null, null);
  }

  @Override
  public void started(long startNanos) {
    inFlightSince = startNanos == 0 ? 1 : startNanos;
  }

  /**
   * At stop, once the users that were cut off had their time to unwind: counts this user's request
   * as cancelled if it is still in flight since before the cut-off (its thread has not recorded it).
   */
  void countIfStillInFlight() {
    long since = inFlightSince;
    if (since != 0 && !control.warmingUp() && since - control.cutOffNanos() < 0 && cancelledCounted.compareAndSet(false, true)) {
      control.countCancelled();
    }
  }

  @Override
  public void recordExchange(String method, String name, long startEpochMicros, long startNanos, long endNanos,
      long bytes, int status, String failure, String url, Response response) {
    inFlightSince = 0;
    if (!control.accepting() || control.warmingUp()) {
      intendedStartNanos = 0;
      // Cut off at stop: the request was in flight, so it is counted as cancelled rather than lost.
      // What the user started after the cut-off (its next statement, failing at once) is not.
      if (!control.accepting() && !control.warmingUp() && startNanos - control.cutOffNanos() < 0
          && cancelledCounted.compareAndSet(false, true)) {
        control.countCancelled();
      }
      return;
    }
    // The one place results enter the engine: every output sees the same text (see ResultNames).
    method = ResultNames.sanitize(method);
    name = ResultNames.sanitize(name);
    failure = ResultNames.sanitize(failure);
    long start = startNanos;
    long epochMicros = startEpochMicros;
    if (intendedStartNanos != 0) {
      if (intendedStartNanos < startNanos) {
        epochMicros -= (startNanos - intendedStartNanos) / 1_000;
        start = intendedStartNanos;
      }
      intendedStartNanos = 0;
    }
    long responseTime = Math.max(0, endNanos - start);
    stats.get().record(method, name, responseTime, bytes, failure, epochMicros / 1_000);
    if (publish || hooks) {
      RequestResult result = new RequestResult(epochMicros, method, name, responseTime, bytes, status, failure, tags);
      if (publish) {
        bus.publish(result);
      }
      if (hooks) {
        callHooks(new RequestEvent(result, url, response));
      }
    }
  }

  private void callHooks(RequestEvent event) {
    for (Consumer<RequestEvent> handler : events.requestHandlers()) {
      call(handler, event);
    }
    if (!event.result().success()) {
      for (Consumer<RequestEvent> handler : events.failureHandlers()) {
        call(handler, event);
      }
    }
  }

  private static void call(Consumer<RequestEvent> handler, RequestEvent event) {
    try {
      handler.accept(event);
    } catch (RuntimeException e) {
      HOOK_ERRORS.log("a request hook threw an exception", e);
    }
  }
}
