package dev.stampede.kpi;

import dev.stampede.Percentiles;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statistic a KPI or a comparison looks at, and which way is good.
 *
 * <p>Names: the reported percentiles {@code p50 p66 p75 p80 p90 p95 p98 p99 p99.9 p99.99 p100}
 * (also written {@code p999}, {@code p9999}, {@code percentile_90} or {@code p95_ms}, as common
 * Locust KPI plugins and CI baseline files do), {@code mean} (alias {@code avg}), {@code max},
 * {@code rps}, {@code error_rate} (percent of requests that failed), {@code failures} and
 * {@code count}. Percentiles, mean, max, error rate and failures are upper bounds; rps and count
 * are lower bounds.
 */
public final class Metric {

  /** Which way a bound goes. */
  public enum Direction {
    /** The measured value must be at most the bound (times, errors). */
    AT_MOST,
    /** The measured value must be at least the bound (throughput, count). */
    AT_LEAST
  }

  /** Every name {@link #parse} accepts, for messages. */
  public static final String ACCEPTED = "p50, p66, p75, p80, p90, p95, p98, p99, p99.9, p99.99, p100"
      + " (or percentile_90, p95_ms), mean (or avg), max, rps, error_rate, failures, count";

  /** Mean response time, ms, upper bound. */
  public static final Metric MEAN = new Metric("mean", "ms", Direction.AT_MOST, Measured::mean);
  /** Slowest response time, ms, upper bound. */
  public static final Metric MAX = new Metric("max", "ms", Direction.AT_MOST, Measured::max);
  /** Requests per second over the run, lower bound. */
  public static final Metric RPS = new Metric("rps", "/s", Direction.AT_LEAST, Measured::rps);
  /** Failed requests in percent of all requests (0 to 100), upper bound. */
  public static final Metric ERROR_RATE =
      new Metric("error_rate", "%", Direction.AT_MOST, Measured::errorRate);
  /** Failed requests, upper bound. */
  public static final Metric FAILURES =
      new Metric("failures", "", Direction.AT_MOST, e -> e.failures());
  /** Requests, failures included, lower bound. */
  public static final Metric COUNT = new Metric("count", "", Direction.AT_LEAST, e -> e.count());

  private static final Pattern PERCENTILE =
      Pattern.compile("(?:p|percentile_?)(\\d+(?:\\.\\d+)?)(?:_ms)?");

  private final String name;
  private final String unit;
  private final Direction direction;
  private final ToDoubleFunction<Measured> extractor;

  private Metric(String name, String unit, Direction direction,
      ToDoubleFunction<Measured> extractor) {
    this.name = name;
    this.unit = unit;
    this.direction = direction;
    this.extractor = extractor;
  }

  /** The response time at {@code percentile}, which must be one of {@link Percentiles#REPORTED}. */
  public static Metric percentile(double percentile) {
    String name = "p" + (percentile == Math.rint(percentile)
        ? Long.toString((long) percentile) : Double.toString(percentile));
    for (double reported : Percentiles.REPORTED) {
      if (reported == percentile) {
        return new Metric(name, "ms", Direction.AT_MOST, e -> e.percentile(percentile));
      }
    }
    throw new IllegalArgumentException("percentile must be one of " + ACCEPTED + " but was "
        + percentile);
  }

  /**
   * The metric called {@code text}, aliases included, or empty when there is none by that name.
   * Case does not matter.
   */
  public static Optional<Metric> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    switch (t) {
      case "mean", "avg", "mean_ms", "avg_ms" -> {
        return Optional.of(MEAN);
      }
      case "max", "max_ms" -> {
        return Optional.of(MAX);
      }
      case "rps" -> {
        return Optional.of(RPS);
      }
      case "error_rate" -> {
        return Optional.of(ERROR_RATE);
      }
      case "failures" -> {
        return Optional.of(FAILURES);
      }
      case "count" -> {
        return Optional.of(COUNT);
      }
      default -> {
        // handled below
      }
    }
    Matcher m = PERCENTILE.matcher(t);
    if (!m.matches()) {
      return Optional.empty();
    }
    String digits = m.group(1);
    double p = Double.parseDouble(digits);
    // p999 and p9999 are the JSON labels of 99.9 and 99.99.
    if (digits.equals("999")) {
      p = 99.9;
    } else if (digits.equals("9999")) {
      p = 99.99;
    }
    for (double reported : Percentiles.REPORTED) {
      if (reported == p) {
        return Optional.of(percentile(p));
      }
    }
    return Optional.empty();
  }

  /** The canonical name: {@code p95}, {@code p99.9}, {@code mean}, {@code error_rate}. */
  public String name() {
    return name;
  }

  /** The unit for display: {@code ms}, {@code /s}, {@code %}, or empty for counts. */
  public String unit() {
    return unit;
  }

  /** Whether a bound on this metric is an upper or a lower bound. */
  public Direction direction() {
    return direction;
  }

  /** The value of this metric for one endpoint. */
  public double valueOf(Measured endpoint) {
    return extractor.applyAsDouble(endpoint);
  }

  /** Whether {@code measured} is within {@code bound}; NaN never is. */
  public boolean within(double measured, double bound) {
    if (Double.isNaN(measured)) {
      return false;
    }
    return direction == Direction.AT_MOST ? measured <= bound : measured >= bound;
  }

  /** {@code 12.5 ms}, {@code 480 /s}, {@code 0.2 %}, {@code 17}. */
  public String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    String number = value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.2f", value);
    return unit.isEmpty() ? number : number + " " + unit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metric m && m.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
