package dev.stampede.engine;

import dev.stampede.support.WarnThenDebugLogger;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exceptions thrown out of tasks (bugs in the scenario, not failed requests): counted per task and
 * exception, logged once at warn, and shown in the summary so they cannot hide.
 *
 * <p>It also counts users that started and failed to start, and tasks that returned and threw, and
 * keeps the first exception with where it was thrown: a run in which no user could start, or every
 * task threw, measured the scenario's bug rather than the target ({@link #brokenScenario}).
 */
final class TaskErrors {

  private static final int MAX_DISTINCT = 200;

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final WarnThenDebugLogger log = new WarnThenDebugLogger(TaskErrors.class);
  private final LongAdder usersStarted = new LongAdder();
  private final LongAdder usersFailed = new LongAdder();
  private final LongAdder tasksCompleted = new LongAdder();
  private final LongAdder tasksThrown = new LongAdder();
  private final AtomicReference<String> first = new AtomicReference<>();

  /** A task (or hook) threw {@code error}. */
  void record(String task, Throwable error) {
    String description = ResultNames.sanitize(WarnThenDebugLogger.describe(error));
    String key = task + ": " + description;
    if (counts.size() >= MAX_DISTINCT && !counts.containsKey(key)) {
      key = task + ": (other exceptions)";
    }
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    first.compareAndSet(null, task + " threw " + description + " at " + ResultNames.sanitize(thrownAt(error)));
    log.log("task " + task + " threw an exception", error);
  }

  /** A task threw {@code error}: counted as a task that did not complete. */
  void taskThrew(String task, Throwable error) {
    tasksThrown.increment();
    record(task, error);
  }

  /** A task returned normally. */
  void taskCompleted() {
    tasksCompleted.increment();
  }

  /** A user's constructor or {@code onStart} threw {@code error}: the user never ran a task. */
  void userFailed(String where, Throwable error) {
    usersFailed.increment();
    record(where, error);
  }

  /** A user's {@code onStart} returned: it runs its tasks. */
  void userStarted() {
    usersStarted.increment();
  }

  /**
   * Why the run measured the scenario's bug rather than the target, or {@code null}: no user could
   * start (each one's constructor or {@code onStart} threw), or every task threw. Names the first
   * exception and where it was thrown.
   */
  String brokenScenario() {
    if (usersFailed.sum() > 0 && usersStarted.sum() == 0) {
      return "no user could start: " + first.get();
    }
    if (tasksThrown.sum() > 0 && tasksCompleted.sum() == 0) {
      return "every task threw an exception: " + first.get();
    }
    return null;
  }

  /** Occurrences by "task: exception", sorted. */
  Map<String, Long> snapshot() {
    Map<String, Long> map = new TreeMap<>();
    counts.forEach((key, count) -> map.put(key, count.sum()));
    return map;
  }

  /**
   * The frame that threw, in the scenario's own code where possible: the first frame outside the
   * JDK and the engine (a scenario's {@code Integer.parseInt} fails inside the JDK, but the line to
   * fix is the scenario's). The top frame when no such frame exists.
   */
  static String thrownAt(Throwable error) {
    Throwable shown = error;
    while (shown.getStackTrace().length == 0 && shown.getCause() != null) {
      shown = shown.getCause();
    }
    StackTraceElement[] frames = shown.getStackTrace();
    if (frames.length == 0) {
      return "(no stack trace)";
    }
    for (StackTraceElement frame : frames) {
      if (!isLibrary(frame.getClassName())) {
        return frame.toString();
      }
    }
    return frames[0].toString();
  }

  private static boolean isLibrary(String className) {
    int dot = className.lastIndexOf('.');
    String pkg = dot < 0 ? "" : className.substring(0, dot);
    return pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("jdk.") || pkg.startsWith("sun.")
        || pkg.startsWith("com.sun.") || pkg.equals("dev.stampede") || pkg.startsWith("dev.stampede.engine")
        || pkg.startsWith("dev.stampede.http") || pkg.startsWith("dev.stampede.carrier")
        || pkg.startsWith("dev.stampede.bus") || pkg.startsWith("dev.stampede.stats")
        || pkg.startsWith("dev.stampede.support");
  }
}
