package dev.stampede.engine;

import dev.stampede.Http;
import dev.stampede.SequentialTaskSet;
import dev.stampede.Shard;
import dev.stampede.TaskSet;
import dev.stampede.User;
import dev.stampede.WaitTime;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * What the engine gives one user: its HTTP client, its result sink, and its stop signal. It is
 * bound to the user's thread while the user runs, which is how {@link User} and {@link TaskSet}
 * constructors find it.
 *
 * <p>Public only because the scenario API in {@code dev.stampede} needs it; scenario code never
 * uses it directly.
 */
public final class UserRuntime {

  private static final ThreadLocal<UserRuntime> CURRENT = new ThreadLocal<>();
  /** The thread running this user now (the open model runs each iteration on a new one). */
  private volatile Thread thread;

  private final int index;
  private final String host;
  private final String urlPath;
  private final UserSink sink;
  private final RunControl control;
  private final TaskErrors taskErrors;
  private final HttpFactory httpFactory;
  private Http http;
  private User user;
  private volatile boolean stopRequested;
  private final Shard shard;

  UserRuntime(int index, String host, String urlPath, UserSink sink, HttpFactory httpFactory,
      RunControl control, TaskErrors taskErrors, Shard shard) {
    this.shard = shard;
    this.index = index;
    this.host = host;
    this.urlPath = urlPath;
    this.sink = sink;
    this.control = control;
    this.taskErrors = taskErrors;
    this.httpFactory = httpFactory;
  }

  /**
   * The runtime bound to the calling thread.
   *
   * @throws IllegalStateException when called outside a user's thread
   */
  public static UserRuntime current() {
    UserRuntime runtime = CURRENT.get();
    if (runtime == null) {
      throw new IllegalStateException(
          "users are created by the engine, and task sets inside a user's task (run(new MyTaskSet()))");
    }
    return runtime;
  }

  void bindToCurrentThread() {
    CURRENT.set(this);
    thread = Thread.currentThread();
  }

  static void unbindCurrentThread() {
    CURRENT.remove();
  }

  void attach(User user) {
    this.user = user;
  }

  /** The shard of the run this user belongs to ({@link Shard#WHOLE} when not distributed). */
  public Shard shard() {
    return shard;
  }

  /** The user this runtime belongs to. */
  public User user() {
    return user;
  }

  /** The user's HTTP client, created on first use so users that make no HTTP call hold no connection. */
  public Http http() {
    if (http == null) {
      http = httpFactory.create(host, sink, user == null ? null : Tasks.tlsOf(user));
    }
    return http;
  }

  /** Closes the user's HTTP client, if it made one. */
  void closeHttp() {
    if (http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing connections of a stopped user: nothing left to record.
      }
    }
    http = null;
  }

  /** The target base URL, or an empty string. */
  public String host() {
    return host;
  }

  /** The path {@code --url} mode requests. */
  String urlPath() {
    return urlPath;
  }

  /** The user's number, from 0. */
  public int index() {
    return index;
  }

  /** Whether this user should stop: the run is stopping, or the user count went down. */
  public boolean stopping() {
    return stopRequested || control.stopping();
  }

  /** Asks this user to stop, and wakes it if it waits (see {@link #pause}). */
  void requestStop() {
    stopRequested = true;
    wake();
  }

  /** Wakes the user's thread if it waits, so that it sees a stop at once. */
  void wake() {
    Thread current = thread;
    if (current != null) {
      LockSupport.unpark(current);
    }
  }

  UserSink sink() {
    return sink;
  }

  /** The wait time of the user, for task sets that do not set their own. */
  public WaitTime userWaitTime() {
    return Tasks.waitTimeOf(user);
  }

  /** Times {@code work} as a {@code custom} result named {@code name}. */
  public <T> T measure(String name, Callable<T> work) throws Exception {
    long startMicros = Clocks.epochMicros();
    long start = System.nanoTime();
    try {
      T value = work.call();
      sink.record("custom", name, startMicros, start, System.nanoTime(), 0, 0, null);
      return value;
    } catch (Exception e) {
      sink.record("custom", name, startMicros, start, System.nanoTime(), 0, 0,
          dev.stampede.support.WarnThenDebugLogger.describe(e));
      throw e;
    }
  }

  /** Runs a task set's tasks until it interrupts or the user stops. */
  public void runTaskSet(TaskSet taskSet) {
    Tasks.runTaskSet(this, taskSet, taskSet instanceof SequentialTaskSet);
  }

  /**
   * Waits {@code nanos}, returning early when the user is asked to stop ({@link #wake} unparks it).
   *
   * <p>One park for the whole wait, not short slices: every park of a virtual thread freezes its
   * stack, usually into a newly allocated chunk, and schedules a timer task. Slicing a 1 to 2 s wait
   * into 100 ms parks made those chunks 68% of all allocation with 10,000 idle users (JFR, issue 8),
   * and the heap that churn needs was most of their memory.
   *
   * @throws UserStopped when the user is stopping, so scenario code unwinds at once
   */
  void pause(long nanos) {
    if (nanos <= 0) {
      // No wait (--url mode, WaitTime.none): only see whether to stop, without reading the clock.
      if (stopping()) {
        throw new UserStopped();
      }
      return;
    }
    long deadline = System.nanoTime() + nanos;
    while (true) {
      if (stopping()) {
        throw new UserStopped();
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      LockSupport.parkNanos(remaining);
      if (Thread.interrupted()) {
        throw new UserStopped();
      }
    }
  }

  TaskErrors taskErrors() {
    return taskErrors;
  }

  /** Thrown through scenario code to unwind a user that must stop; never recorded. */
  static final class UserStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserStopped() {
      super("user stopped", null, false, false);
    }
  }
}
