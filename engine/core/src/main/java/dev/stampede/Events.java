package dev.stampede;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The run's event hooks, like Locust's {@code events}: init, test start, test stop, every request,
 * and failures. Request and failure handlers run synchronously on the user's thread, so they should
 * be quick; an exception in a handler is logged and does not stop the user.
 */
public final class Events {

  private final List<Runnable> init = new CopyOnWriteArrayList<>();
  private final List<Consumer<RunInfo>> testStart = new CopyOnWriteArrayList<>();
  private final List<Consumer<Summary>> testStop = new CopyOnWriteArrayList<>();
  private final List<Consumer<RequestEvent>> request = new CopyOnWriteArrayList<>();
  private final List<Consumer<RequestEvent>> failure = new CopyOnWriteArrayList<>();

  /** Called once when the scenario is loaded, before any user exists. */
  public Events onInit(Runnable handler) {
    init.add(handler);
    return this;
  }

  /** Called once when the load starts. */
  public Events onTestStart(Consumer<RunInfo> handler) {
    testStart.add(handler);
    return this;
  }

  /** Called once after the last user stopped, with the run's statistics. */
  public Events onTestStop(Consumer<Summary> handler) {
    testStop.add(handler);
    return this;
  }

  /**
   * Called for every result, successes and failures, on the user's thread, with the URL and the
   * response for debugging.
   */
  public Events onRequest(Consumer<RequestEvent> handler) {
    request.add(handler);
    return this;
  }

  /** Called for every failed result, on the user's thread, with the URL and the response. */
  public Events onFailure(Consumer<RequestEvent> handler) {
    failure.add(handler);
    return this;
  }

  /** The init handlers. */
  public List<Runnable> initHandlers() {
    return init;
  }

  /** The test-start handlers. */
  public List<Consumer<RunInfo>> testStartHandlers() {
    return testStart;
  }

  /** The test-stop handlers. */
  public List<Consumer<Summary>> testStopHandlers() {
    return testStop;
  }

  /** The request handlers. */
  public List<Consumer<RequestEvent>> requestHandlers() {
    return request;
  }

  /** The failure handlers. */
  public List<Consumer<RequestEvent>> failureHandlers() {
    return failure;
  }

  /** Whether any request or failure handler is attached (the engine skips the work otherwise). */
  public boolean hasResultHandlers() {
    return !request.isEmpty() || !failure.isEmpty();
  }
}
