package dev.stampede.stats;

import dev.stampede.FailureStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failures grouped by method, name and error, with first and last occurrence. The number of
 * distinct groups is capped: errors that embed ids or timestamps would otherwise grow it without
 * bound; further groups are counted under {@link #OTHER_ERRORS}.
 */
final class FailureTable {

  static final String OTHER_ERRORS = "(other errors: too many distinct messages)";
  static final int MAX_GROUPS = 1_000;
  /** Error messages are cut to this length; the first line carries the meaning. */
  static final int MAX_ERROR_LENGTH = 500;

  private record Key(String method, String name, String error) {}

  private static final class Group {
    final LongAdder occurrences = new LongAdder();
    final long firstSeen;
    final AtomicLong lastSeen;
    /** Occurrences already handed out by {@link #takeSinceLastCall}; the caller of that owns it. */
    long taken;

    Group(long now) {
      this.firstSeen = now;
      this.lastSeen = new AtomicLong(now);
    }
  }

  private final ConcurrentHashMap<Key, Group> groups = new ConcurrentHashMap<>();

  void record(String method, String name, String error, long nowMillis) {
    String message = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    Key key = new Key(method, name, message);
    Group group = groups.get(key);
    if (group == null) {
      if (groups.size() >= MAX_GROUPS) {
        key = new Key(method, name, OTHER_ERRORS);
      }
      group = groups.computeIfAbsent(key, k -> new Group(nowMillis));
    }
    group.occurrences.increment();
    group.lastSeen.accumulateAndGet(nowMillis, Math::max);
  }

  /**
   * The failures since the previous call, as method, then name, then error, then occurrences; only
   * groups that had some. Calls must not overlap (the ticker makes them, under the statistics' lock).
   */
  Map<String, Map<String, Map<String, Long>>> takeSinceLastCall() {
    Map<String, Map<String, Map<String, Long>>> taken = new HashMap<>();
    groups.forEach((key, group) -> {
      long occurrences = group.occurrences.sum();
      long fresh = occurrences - group.taken;
      if (fresh > 0) {
        group.taken = occurrences;
        taken.computeIfAbsent(key.method(), m -> new HashMap<>())
            .computeIfAbsent(key.name(), n -> new HashMap<>())
            .put(key.error(), fresh);
      }
    });
    return taken;
  }

  List<FailureStats> snapshot() {
    List<FailureStats> list = new ArrayList<>();
    groups.forEach((key, group) -> list.add(new FailureStats(key.method(), key.name(), key.error(),
        group.occurrences.sum(), group.firstSeen, group.lastSeen.get())));
    list.sort(Comparator.comparingLong(FailureStats::occurrences).reversed()
        .thenComparing(FailureStats::method).thenComparing(FailureStats::name));
    return list;
  }
}
