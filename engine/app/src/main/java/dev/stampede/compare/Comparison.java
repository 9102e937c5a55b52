package dev.stampede.compare;

import dev.stampede.kpi.Metric;
import dev.stampede.result.RunResultFile;
import dev.stampede.result.RunResultFile.EndpointResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a run against a baseline, endpoint by endpoint ({@code stampede compare}).
 *
 * <p>For each endpoint present in both (and the total) and each metric, the change is
 * {@code (current - baseline) / baseline} in percent. It is a regression when it goes the bad way
 * (up for times and errors, down for rps and count) by more than the tolerance <em>and</em> by more
 * than the metric's absolute noise floor: {@link #DEFAULT_MIN_DELTA_MS} for times (HTTP timings
 * below a millisecond are timer and scheduler noise) and {@link #DEFAULT_MIN_DELTA_ERROR_RATE}
 * percentage points for the error rate (so that one stray failure in ten thousand requests does not
 * fail a build whose baseline happened to have none). A change the good way by more than the
 * tolerance is an improvement. Endpoints only in the current run are "new", endpoints only in the
 * baseline are "missing": both are reported, neither is a regression unless asked.
 *
 * <p>{@link #compareSets} takes two sets of runs made back to back on the same machine (the base
 * commit, then the change) and compares their per-endpoint medians, so no difference in hardware
 * can fake a result; it also reports whether either set was too noisy to trust.
 */
public final class Comparison {

  /** The default tolerance: 10 percent. */
  public static final double DEFAULT_TOLERANCE_PERCENT = 10;
  /** The default metrics compared. */
  public static final List<Metric> DEFAULT_METRICS = List.of(Metric.percentile(50),
      Metric.percentile(95), Metric.percentile(99), Metric.MEAN, Metric.ERROR_RATE);
  /** Changes of a time of at most this many milliseconds are never a regression. */
  public static final double DEFAULT_MIN_DELTA_MS = 1.0;
  /** Changes of the error rate of at most this many percentage points are never a regression. */
  public static final double DEFAULT_MIN_DELTA_ERROR_RATE = 0.1;

  private final double tolerancePercent;
  private final List<Metric> metrics;
  private final double minDeltaMs;
  private final double minDeltaErrorRate;
  private final boolean failOnMissing;

  private Comparison(Builder b) {
    this.tolerancePercent = b.tolerancePercent;
    this.metrics = List.copyOf(b.metrics);
    this.minDeltaMs = b.minDeltaMs;
    this.minDeltaErrorRate = b.minDeltaErrorRate;
    this.failOnMissing = b.failOnMissing;
  }

  /** A builder with the defaults: 10% tolerance, p50, p95, p99, mean and error_rate. */
  public static Builder builder() {
    return new Builder();
  }

  /** Compares {@code current} against {@code baseline}. */
  public ComparisonReport compare(RunResultFile baseline, RunResultFile current) {
    return compare(baseline, current, List.of(), false);
  }

  /**
   * Compares the per-endpoint medians of {@code change} runs against those of {@code base} runs.
   *
   * @param maxCvPercent the noise limit of {@link RepeatedRuns} for each set
   */
  public ComparisonReport compareSets(List<RunResultFile> base, List<RunResultFile> change,
      double maxCvPercent) {
    RepeatedRuns b = RepeatedRuns.of(base, maxCvPercent);
    RepeatedRuns c = RepeatedRuns.of(change, maxCvPercent);
    List<String> notes = List.of("base (" + base.size() + " runs): " + b.verdict(),
        "change (" + change.size() + " runs): " + c.verdict());
    return compare(b.median(), c.median(), notes, !b.conclusive() || !c.conclusive());
  }

  private ComparisonReport compare(RunResultFile baseline, RunResultFile current,
      List<String> notes, boolean inconclusive) {
    List<ComparisonReport.Row> rows = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String key : new TreeSet<>(union(baseline.endpoints(), current.endpoints()))) {
      EndpointResult b = reached(baseline.endpoints().get(key));
      EndpointResult c = reached(current.endpoints().get(key));
      if (b == null && c != null) {
        added.add(key);
      } else if (b != null && c == null) {
        missing.add(key);
      } else if (b != null) {
        addRows(rows, key, b, c);
      }
    }
    addRows(rows, RunResultFile.TOTAL, baseline.total(), current.total());
    return new ComparisonReport(rows, added, missing, tolerancePercent, failOnMissing, notes,
        inconclusive);
  }

  private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static EndpointResult reached(EndpointResult e) {
    return e == null || e.count() == 0 ? null : e;
  }

  private void addRows(List<ComparisonReport.Row> rows, String key, EndpointResult b,
      EndpointResult c) {
    for (Metric metric : metrics) {
      double base = metric.valueOf(b);
      double now = metric.valueOf(c);
      double delta = deltaPercent(base, now);
      rows.add(new ComparisonReport.Row(key, metric, base, now, delta, judge(metric, base, now, delta)));
    }
  }

  /** The change in percent; 0 when both are 0, infinite when only the baseline is 0. */
  static double deltaPercent(double base, double now) {
    if (Double.isNaN(base) || Double.isNaN(now)) {
      return Double.NaN;
    }
    if (base == 0) {
      return now == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, now);
    }
    return 100 * (now - base) / base;
  }

  private ComparisonReport.Change judge(Metric metric, double base, double now, double delta) {
    if (Double.isNaN(delta)) {
      return ComparisonReport.Change.UNCHANGED;
    }
    double floor = metric.unit().equals("ms") ? minDeltaMs
        : metric.equals(Metric.ERROR_RATE) ? minDeltaErrorRate : 0;
    if (Math.abs(now - base) <= floor || Math.abs(delta) <= tolerancePercent) {
      return ComparisonReport.Change.UNCHANGED;
    }
    boolean worse = metric.direction() == Metric.Direction.AT_MOST ? delta > 0 : delta < 0;
    return worse ? ComparisonReport.Change.REGRESSED : ComparisonReport.Change.IMPROVED;
  }

  /** Options of a comparison; every one has a default. */
  public static final class Builder {
    private double tolerancePercent = DEFAULT_TOLERANCE_PERCENT;
    private List<Metric> metrics = DEFAULT_METRICS;
    private double minDeltaMs = DEFAULT_MIN_DELTA_MS;
    private double minDeltaErrorRate = DEFAULT_MIN_DELTA_ERROR_RATE;
    private boolean failOnMissing;

    private Builder() {}

    /** How far (percent, >= 0) a metric may move the bad way before it is a regression. Default 10. */
    public Builder tolerancePercent(double percent) {
      if (!(percent >= 0) || Double.isInfinite(percent)) {
        throw new IllegalArgumentException("tolerancePercent must be >= 0 but was " + percent);
      }
      this.tolerancePercent = percent;
      return this;
    }

    /** The metrics compared, in table order. Default p50, p95, p99, mean, error_rate. */
    public Builder metrics(List<Metric> metrics) {
      if (metrics.isEmpty()) {
        throw new IllegalArgumentException("metrics must not be empty");
      }
      this.metrics = List.copyOf(metrics);
      return this;
    }

    /** Time changes of at most this many milliseconds never count. Default 1. */
    public Builder minDeltaMs(double millis) {
      if (!(millis >= 0)) {
        throw new IllegalArgumentException("minDeltaMs must be >= 0 but was " + millis);
      }
      this.minDeltaMs = millis;
      return this;
    }

    /** Error-rate changes of at most this many percentage points never count. Default 0.1. */
    public Builder minDeltaErrorRate(double points) {
      if (!(points >= 0)) {
        throw new IllegalArgumentException("minDeltaErrorRate must be >= 0 but was " + points);
      }
      this.minDeltaErrorRate = points;
      return this;
    }

    /** Whether an endpoint of the baseline that the current run lacks fails it. Default false. */
    public Builder failOnMissing(boolean failOnMissing) {
      this.failOnMissing = failOnMissing;
      return this;
    }

    /** The comparison. */
    public Comparison build() {
      return new Comparison(this);
    }
  }

  static String percent(double delta) {
    if (Double.isNaN(delta)) {
      return "n/a";
    }
    if (Double.isInfinite(delta)) {
      return delta > 0 ? "+inf%" : "-inf%";
    }
    return String.format(Locale.ROOT, "%+.1f%%", delta);
  }

  @Override
  public String toString() {
    return "Comparison[tolerance=" + tolerancePercent + "%, metrics=" + metrics + "]";
  }
}
