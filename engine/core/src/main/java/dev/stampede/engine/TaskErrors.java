package dev.stampede.engine;

import dev.stampede.support.WarnThenDebugLogger;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exceptions thrown out of tasks (bugs in the scenario, not failed requests): counted per task and
 * exception, logged once at warn, and shown in the summary so they cannot hide.
 */
final class TaskErrors {

  private static final int MAX_DISTINCT = 200;

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final WarnThenDebugLogger log = new WarnThenDebugLogger(TaskErrors.class);

  void record(String task, Throwable error) {
    String key = task + ": " + WarnThenDebugLogger.describe(error);
    if (counts.size() >= MAX_DISTINCT && !counts.containsKey(key)) {
      key = task + ": (other exceptions)";
    }
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    log.log("task " + task + " threw an exception", error);
  }

  /** Occurrences by "task: exception", sorted. */
  Map<String, Long> snapshot() {
    Map<String, Long> map = new TreeMap<>();
    counts.forEach((key, count) -> map.put(key, count.sum()));
    return map;
  }
}
