package dev.stampede.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-second history in bounded memory however long the run: once it holds {@code capacity}
 * points, neighbouring points are merged in pairs, so resolution halves instead of memory growing.
 * An 8-hour run at the default capacity keeps one point per 16 seconds.
 */
public final class History {

  /** The default number of points kept, about 300 KB. */
  public static final int DEFAULT_CAPACITY = 2_048;

  private final int capacity;
  private final List<HistoryPoint> points = new ArrayList<>();
  /** Points merged into each kept point; doubles at each thinning. */
  private int pointsPerSlot = 1;
  private HistoryPoint pending;
  private int pendingMerged;

  /** A history of at most {@code capacity} points (even, >= 2). */
  public History(int capacity) {
    if (capacity < 2 || capacity % 2 != 0) {
      throw new IllegalArgumentException("capacity must be even and >= 2 but was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds the point of the interval that just ended. */
  public synchronized void add(HistoryPoint point) {
    pending = pending == null ? point : merge(pending, point);
    pendingMerged++;
    if (pendingMerged < pointsPerSlot) {
      return;
    }
    points.add(pending);
    pending = null;
    pendingMerged = 0;
    if (points.size() >= capacity) {
      List<HistoryPoint> thinned = new ArrayList<>(capacity / 2);
      for (int i = 0; i + 1 < points.size(); i += 2) {
        thinned.add(merge(points.get(i), points.get(i + 1)));
      }
      points.clear();
      points.addAll(thinned);
      pointsPerSlot *= 2;
    }
  }

  /** The points so far, oldest first, including a partly merged last one. */
  public synchronized List<HistoryPoint> points() {
    List<HistoryPoint> copy = new ArrayList<>(points);
    if (pending != null) {
      copy.add(pending);
    }
    return copy;
  }

  /**
   * Merges two consecutive points: rates are averaged by time, percentiles take the larger value
   * (a merged point must not hide a spike), users and totals take the later point's.
   */
  static HistoryPoint merge(HistoryPoint a, HistoryPoint b) {
    double seconds = a.seconds() + b.seconds();
    double[] pa = a.percentiles().values();
    double[] pb = b.percentiles().values();
    double[] merged = new double[pa.length];
    for (int i = 0; i < merged.length; i++) {
      merged[i] = Math.max(pa[i], pb[i]);
    }
    return new HistoryPoint(b.epochMillis(), seconds, b.users(),
        (a.rps() * a.seconds() + b.rps() * b.seconds()) / seconds,
        (a.failuresPerSecond() * a.seconds() + b.failuresPerSecond() * b.seconds()) / seconds,
        new dev.stampede.Percentiles(merged), b.totalCount(), b.totalFailures());
  }
}
