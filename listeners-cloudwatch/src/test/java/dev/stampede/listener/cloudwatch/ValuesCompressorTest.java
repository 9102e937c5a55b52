package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesCompressorTest {

  @Test
  void keepsFewDistinctValuesExactly() {
    Histogram micros = new Histogram(3);
    micros.recordValueWithCount(1_500, 7);
    micros.recordValueWithCount(20_000, 2);
    micros.recordValue(0);

    ValuesCompressor.Distribution distribution = ValuesCompressor.compress(micros);

    assertThat(distribution.relativeError()).isZero();
    assertThat(distribution.valuesMillis()).containsExactly(0.0, 1.5, micros.highestEquivalentValue(20_000) / 1000.0);
    assertThat(distribution.counts()).containsExactly(1.0, 7.0, 2.0);
  }

  @Test
  void givesEmptyArraysForAnEmptyHistogram() {
    ValuesCompressor.Distribution distribution = ValuesCompressor.compress(new Histogram(3));

    assertThat(distribution.size()).isZero();
    assertThat(distribution.totalCount()).isZero();
  }

  @ParameterizedTest(name = "{0} µs to {1} µs")
  @CsvSource({"1000, 10000", "100, 100000", "1, 1000000", "50, 3600000000", "1, 9000000000"})
  void compressesWideHistogramsToAtMost150ValuesWithinTheStatedError(long lowest, long highest) {
    Histogram micros = new Histogram(3);
    SplittableRandom random = new SplittableRandom(7);
    double logLow = Math.log(lowest);
    double logHigh = Math.log(highest);
    for (int i = 0; i < 200_000; i++) {
      micros.recordValue((long) Math.exp(logLow + random.nextDouble() * (logHigh - logLow)));
    }
    micros.recordValue(lowest);
    micros.recordValue(highest);

    ValuesCompressor.Distribution distribution = ValuesCompressor.compress(micros);

    assertThat(distribution.size()).isLessThanOrEqualTo(ValuesCompressor.MAX_VALUES);
    assertThat(distribution.totalCount()).isEqualTo(micros.getTotalCount());
    assertThat(distribution.valuesMillis()).isSorted();
    double documented = Math.pow((double) micros.getMaxValue() / micros.getMinNonZeroValue(), 1.0 / 294) - 1;
    assertThat(distribution.relativeError()).isCloseTo(documented, within(documented * 0.01));
    for (double p = 1; p < 100; p += 0.5) {
      double expected = micros.getValueAtPercentile(p) / 1000.0;
      assertThat(distribution.percentile(p)).as("p%s", p)
          .isCloseTo(expected, within(expected * distribution.relativeError() * (1 + 1e-9)));
    }
    assertThat(distribution.percentile(99.99)).isCloseTo(micros.getValueAtPercentile(99.99) / 1000.0,
        within(micros.getValueAtPercentile(99.99) / 1000.0 * distribution.relativeError() * (1 + 1e-9)));
  }

  @Test
  void statesTheBoundsDocumentedInItsJavadoc() {
    assertThat(bound(10)).isCloseTo(0.0079, within(0.0001));
    assertThat(bound(100)).isCloseTo(0.0158, within(0.0001));
    assertThat(bound(1_000)).isCloseTo(0.0238, within(0.0001));
    assertThat(bound(10_000)).isCloseTo(0.0318, within(0.0001));
    assertThat(bound(1_000_000)).isCloseTo(0.0481, within(0.0001));
  }

  private static double bound(double spread) {
    return Math.pow(spread, 1.0 / (2 * (ValuesCompressor.MAX_VALUES - 3))) - 1;
  }

  @Test
  void keepsZeroExactWhenCompressing() {
    Histogram micros = new Histogram(3);
    micros.recordValueWithCount(0, 5);
    for (long v = 1_000; v < 1_000_000; v += 997) {
      micros.recordValue(v);
    }

    ValuesCompressor.Distribution distribution = ValuesCompressor.compress(micros);

    assertThat(distribution.size()).isLessThanOrEqualTo(ValuesCompressor.MAX_VALUES);
    assertThat(distribution.valuesMillis()[0]).isZero();
    assertThat(distribution.counts()[0]).isEqualTo(5.0);
    assertThat(distribution.totalCount()).isEqualTo(micros.getTotalCount());
  }
}
