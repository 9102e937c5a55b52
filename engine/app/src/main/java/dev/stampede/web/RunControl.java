package dev.stampede.web;

import dev.stampede.bus.ResultBus;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web page's run state machine: one run at a time, on its own thread.
 *
 * <pre>
 * IDLE / FINISHED / FAILED --start--> STARTING --built--> RUNNING --stop--> STOPPING
 *        ^                               |                   |                 |
 *        |                          starter refused          '----- run ends --'--> FINISHED (or FAILED)
 *        '------------------------------'                                            |
 * FINISHED / FAILED --reset--> IDLE  (while RUNNING, reset starts the statistics afresh)
 * </pre>
 *
 * <p>Knows nothing of HTTP: a request that does not fit the state is a {@link Conflict}, a start the
 * {@link RunStarter} refuses is its {@link ConfigException}, {@link IllegalArgumentException} or
 * {@link IllegalStateException}, and whoever drives it reads what it shows with {@link #status()}.
 */
final class RunControl {

  private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

  /** Where a run is. */
  enum State {
    IDLE, STARTING, RUNNING, STOPPING, FINISHED, FAILED;

    /** The name the page shows, e.g. {@code running}. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What the page shows, read at one instant.
   *
   * @param state where the run is
   * @param running the run going on, or {@code null}
   * @param request what the running (or last) run was started with, or {@code null}
   * @param lastOutcome the last finished run, or {@code null}
   * @param lastKpis its KPI verdicts, empty without KPIs
   * @param error why the last start, run or its result files failed, or {@code null}
   */
  record Status(State state, LoadTest running, WebRunRequest request, RunOutcome lastOutcome, List<KpiRow> lastKpis,
      String error) {

    /** Whether the last run's downloads are offered: it finished and nothing started since. */
    boolean downloads() {
      return lastOutcome != null && state == State.FINISHED;
    }
  }

  /** A request that the run's state does not allow now, e.g. a start while a run goes on. */
  static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(message, null, false, false);
    }
  }

  private final RunStarter starter;
  private final Function<RunOutcome, List<KpiRow>> kpis;
  private final Consumer<RunOutcome> onFinished;

  private final Object lock = new Object();
  // Guarded by lock.
  private State state = State.IDLE;
  private LoadTest current;
  private WebRunRequest currentRequest;
  private Thread runThread;
  private RunOutcome lastOutcome;
  private List<KpiRow> lastKpis = List.of();
  private String lastError;

  RunControl(RunStarter starter, Function<RunOutcome, List<KpiRow>> kpis, Consumer<RunOutcome> onFinished) {
    this.starter = starter;
    this.kpis = kpis;
    this.onFinished = onFinished;
  }

  /** A snapshot of the state and the runs. */
  Status status() {
    synchronized (lock) {
      return new Status(state, current, currentRequest, lastOutcome, lastKpis, lastError);
    }
  }

  /**
   * Builds the run {@code request} asks for and starts it on its own thread.
   *
   * @throws Conflict when a run is starting, running or stopping
   * @throws ConfigException when the starter cannot build the run (also {@link IllegalArgumentException},
   *     {@link IllegalStateException}); the state is what it was before
   * @throws RuntimeException whatever else the starter threw, logged; the state is what it was before
   */
  void start(WebRunRequest request) {
    synchronized (lock) {
      if (state == State.STARTING || state == State.RUNNING || state == State.STOPPING) {
        throw new Conflict("a run is already going on; stop it first");
      }
      state = State.STARTING;
      lastError = null;
    }
    LoadTest loadTest;
    try {
      loadTest = starter.create(request);
      if (loadTest == null) {
        throw new IllegalStateException("the run starter returned no load test");
      }
    } catch (RuntimeException e) {
      synchronized (lock) {
        state = lastOutcome != null ? State.FINISHED : State.IDLE;
      }
      if (!(e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
        LOG.warn("cannot start a run from the web page: {}", WarnThenDebugLogger.describe(e));
      }
      throw e;
    }
    synchronized (lock) {
      current = loadTest;
      currentRequest = request;
      state = State.RUNNING;
      runThread = Thread.ofPlatform().daemon().name("stampede-web-run").start(() -> runToEnd(loadTest));
    }
  }

  /**
   * Stops the run going on (its users stop, its listeners flush, then it is {@code FINISHED}).
   *
   * @throws Conflict when no run is running or stopping
   */
  void stop() {
    synchronized (lock) {
      if (state != State.RUNNING && state != State.STOPPING) {
        throw new Conflict("no run is going on");
      }
      current.stop();
      state = State.STOPPING;
    }
  }

  /**
   * While a run goes on, starts its statistics afresh (as Locust's reset does); after a run, forgets
   * it and goes back to {@code IDLE}.
   *
   * @throws Conflict when the run is warming up (nothing to reset yet), starting or stopping
   */
  void reset() {
    synchronized (lock) {
      if (state == State.RUNNING) {
        if (!current.resetStatistics()) {
          throw new Conflict("nothing to reset yet: the run is warming up");
        }
        return;
      }
      if (state == State.STARTING || state == State.STOPPING) {
        throw new Conflict("the run is " + (state == State.STARTING ? "starting" : "stopping")
            + "; reset when it is running or has ended");
      }
      lastOutcome = null;
      lastKpis = List.of();
      lastError = null;
      currentRequest = null;
      state = State.IDLE;
    }
  }

  /** Stops a run going on and waits up to {@code timeout} for it to end (its listeners to flush). */
  void stopAndAwait(Duration timeout) {
    Thread running;
    synchronized (lock) {
      if (current != null) {
        current.stop();
      }
      running = runThread;
    }
    if (running != null) {
      try {
        running.join(timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void runToEnd(LoadTest loadTest) {
    RunOutcome outcome;
    try {
      outcome = loadTest.run();
    } catch (RuntimeException e) {
      String why = e instanceof ResultBus.ListenerStartException
          ? "the run could not start: " + e.getMessage()
          : "the run failed: " + WarnThenDebugLogger.describe(e);
      LOG.warn(why);
      synchronized (lock) {
        state = State.FAILED;
        lastError = why;
        current = null;
        runThread = null;
      }
      return;
    }
    List<KpiRow> rows;
    try {
      rows = List.copyOf(kpis.apply(outcome));
    } catch (RuntimeException e) {
      LOG.warn("cannot evaluate KPIs: {}", WarnThenDebugLogger.describe(e));
      rows = List.of();
    }
    // The result files are written before the page says "finished", so whoever polls the state
    // and then reads them finds them.
    String finishError = null;
    try {
      onFinished.accept(outcome);
    } catch (RuntimeException e) {
      finishError = WarnThenDebugLogger.describe(e);
      LOG.warn("handling the finished run failed: {}", finishError);
    }
    synchronized (lock) {
      lastOutcome = outcome;
      lastKpis = rows;
      state = State.FINISHED;
      current = null;
      runThread = null;
      if (finishError != null) {
        lastError = finishError;
      }
    }
  }
}
