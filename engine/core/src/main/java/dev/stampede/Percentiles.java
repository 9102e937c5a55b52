package dev.stampede;

import java.util.Arrays;

/**
 * Response times (ms) at the percentiles Stampede reports: 50, 66, 75, 80, 90, 95, 98, 99, 99.9,
 * 99.99 and 100.
 *
 * @param values the response times in milliseconds, one per entry of {@link #REPORTED}
 */
public record Percentiles(double[] values) {

  /** The reported percentiles, in order. */
  public static final double[] REPORTED = {50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100};

  public Percentiles {
    if (values.length != REPORTED.length) {
      throw new IllegalArgumentException(
          "values must have " + REPORTED.length + " entries but had " + values.length);
    }
    values = values.clone();
  }

  /** The response time at {@code percentile}, which must be one of {@link #REPORTED}. */
  public double at(double percentile) {
    for (int i = 0; i < REPORTED.length; i++) {
      if (REPORTED[i] == percentile) {
        return values[i];
      }
    }
    throw new IllegalArgumentException(
        "percentile must be one of " + Arrays.toString(REPORTED) + " but was " + percentile);
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** The JSON/CSV label of a reported percentile: {@code p50}, {@code p999}, {@code p9999}, {@code p100}. */
  public static String label(double percentile) {
    String digits = (percentile == Math.rint(percentile))
        ? Long.toString((long) percentile)
        : Double.toString(percentile).replace(".", "");
    return "p" + digits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Percentiles p && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Percentiles" + Arrays.toString(values);
  }
}
