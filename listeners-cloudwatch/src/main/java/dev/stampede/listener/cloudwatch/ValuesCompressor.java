package dev.stampede.listener.cloudwatch;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Turns an interval's HdrHistogram of response times (microseconds) into the {@code Values} and
 * {@code Counts} arrays of one {@code MetricDatum}, at most {@value #MAX_VALUES} distinct values,
 * so CloudWatch computes its own percentile statistics from the real distribution.
 *
 * <h2>Error bound</h2>
 *
 * <p>When the histogram holds at most {@value #MAX_VALUES} distinct values they are sent as they
 * are (each the histogram's highest equivalent value, the same value HdrHistogram reports for a
 * percentile), so the only error is HdrHistogram's own (3 significant digits: under 0.1%).
 *
 * <p>Otherwise values are merged into geometric buckets {@code [r^i, r^(i+1))} with the ratio
 * {@code r = (max/min)^(1/(MAX_VALUES - 3))} over the smallest and largest non-zero values, and
 * each bucket is sent as its geometric centre {@code r^(i+0.5)} with the bucket's total count.
 * Every recorded value then moves by a relative error of at most {@code ε = sqrt(r) - 1}, and
 * since the mapping keeps order, so does every percentile computed from the arrays. In numbers:
 * max/min of 10 gives ε = 0.8%, 100 gives 1.6%, 1,000 gives 2.4%, 10^4 gives 3.2%, 10^6 gives 4.8%
 * (1 µs to 1 s). Zero is kept exact. {@link Distribution#relativeError()} states the bound that
 * applied to one datum.
 */
final class ValuesCompressor {

  /**
   * The most distinct values one datum may carry.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
   */
  static final int MAX_VALUES = 150;

  /** HdrHistogram's own relative error with 3 significant digits (a bucket spans 1/2048 of its value). */
  static final double HISTOGRAM_RELATIVE_ERROR = 1.0 / 1024;

  private ValuesCompressor() {}

  /**
   * Values in milliseconds, ascending, with their counts, and the bound on the relative error the
   * compression added (0 when none was needed).
   */
  record Distribution(double[] valuesMillis, double[] counts, double relativeError) {

    /** The number of distinct values. */
    int size() {
      return valuesMillis.length;
    }

    /** The sum of the counts. */
    long totalCount() {
      long total = 0;
      for (double count : counts) {
        total += (long) count;
      }
      return total;
    }

    /**
     * The value (ms) at {@code percentile} (0 to 100) computed from the arrays the way
     * HdrHistogram does: the smallest value whose cumulative count reaches the percentile's rank.
     */
    double percentile(double percentile) {
      long total = totalCount();
      // HdrHistogram's own rank arithmetic, step for step, so both pick the same rank.
      double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0), 100);
      long rank = Math.max(1, (long) Math.ceil(requested * total / 100.0));
      long seen = 0;
      for (int i = 0; i < valuesMillis.length; i++) {
        seen += (long) counts[i];
        if (seen >= rank) {
          return valuesMillis[i];
        }
      }
      return valuesMillis.length == 0 ? 0 : valuesMillis[valuesMillis.length - 1];
    }
  }

  /** Compresses {@code micros}; an empty histogram gives empty arrays. */
  static Distribution compress(Histogram micros) {
    List<long[]> recorded = new ArrayList<>();
    for (HistogramIterationValue value : micros.recordedValues()) {
      recorded.add(new long[] {micros.highestEquivalentValue(value.getValueIteratedTo()), value.getCountAtValueIteratedTo()});
    }
    if (recorded.size() <= MAX_VALUES) {
      double[] values = new double[recorded.size()];
      double[] counts = new double[recorded.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = recorded.get(i)[0] / 1000.0;
        counts[i] = recorded.get(i)[1];
      }
      return new Distribution(values, counts, 0);
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long[] entry : recorded) {
      if (entry[0] > 0) {
        min = Math.min(min, entry[0]);
        max = Math.max(max, entry[0]);
      }
    }
    // MAX_VALUES - 3 steps of r span [min, max]; with floor() alignment the non-zero values fall
    // into at most MAX_VALUES - 1 buckets, leaving one for an exact zero. Rounding in log() can
    // add a bucket at the edge, so widen slightly until it fits.
    double logRatio = Math.log((double) max / min) / (MAX_VALUES - 3);
    while (true) {
      Distribution distribution = bucket(recorded, logRatio);
      if (distribution.size() <= MAX_VALUES) {
        return distribution;
      }
      logRatio *= 1.001;
    }
  }

  private static Distribution bucket(List<long[]> recorded, double logRatio) {
    List<double[]> buckets = new ArrayList<>();
    long currentIndex = Long.MIN_VALUE;
    double[] current = null;
    for (long[] entry : recorded) {
      long value = entry[0];
      long index = value == 0 ? Long.MIN_VALUE + 1 : (long) Math.floor(Math.log(value) / logRatio);
      if (current == null || index != currentIndex) {
        double centreMicros = value == 0 ? 0 : Math.exp((index + 0.5) * logRatio);
        current = new double[] {centreMicros / 1000.0, 0};
        buckets.add(current);
        currentIndex = index;
      }
      current[1] += entry[1];
    }
    double[] values = new double[buckets.size()];
    double[] counts = new double[buckets.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = buckets.get(i)[0];
      counts[i] = buckets.get(i)[1];
    }
    return new Distribution(values, counts, Math.exp(logRatio / 2) - 1);
  }
}
