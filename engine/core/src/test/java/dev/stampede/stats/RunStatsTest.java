package dev.stampede.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunStatsTest {

  /** The exact percentile by the nearest-rank definition HdrHistogram uses. */
  private static double exact(long[] sortedNanos, double percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(0, rank - 1)] / 1e6;
  }

  @Test
  void percentilesAreWithinOnePercentOfTheExactValues() {
    RunStats stats = new RunStats(0, History.DEFAULT_CAPACITY);
    Random random = new Random(7);
    long[] nanos = new long[100_000];
    for (int i = 0; i < nanos.length; i++) {
      // Log-normal around 20 ms with a long tail, as real response times are.
      nanos[i] = (long) (Math.exp(random.nextGaussian() * 1.2 + Math.log(20)) * 1e6);
      stats.record("GET", "/x", nanos[i], 10, null, 0);
    }
    stats.tick(10_000, 1);
    Arrays.sort(nanos);

    EndpointStats endpoint = stats.endpoints(10).get(0);
    for (double percentile : Percentiles.REPORTED) {
      double expected = exact(nanos, percentile);
      assertThat(endpoint.percentiles().at(percentile))
          .as("p%s", percentile)
          .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
    }
    assertThat(endpoint.min()).isCloseTo(nanos[0] / 1e6, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(endpoint.mean()).isCloseTo(Arrays.stream(nanos).average().orElseThrow() / 1e6,
        org.assertj.core.data.Percentage.withPercentage(0.001));
  }

  @Test
  void totalsAddUpEndpointsAndCountFailuresByError() {
    RunStats stats = new RunStats(0, History.DEFAULT_CAPACITY);
    for (int i = 0; i < 100; i++) {
      stats.record("GET", "/a", 1_000_000, 100, null, 1_000);
      stats.record("POST", "/b", 3_000_000, 50, i % 4 == 0 ? "HTTP 500 Internal Server Error" : null, 1_000 + i);
    }
    stats.tick(2_000, 2);

    EndpointStats total = stats.total(2);
    assertThat(total.count()).isEqualTo(200);
    assertThat(total.failures()).isEqualTo(25);
    assertThat(total.totalBytes()).isEqualTo(15_000);
    assertThat(total.rps()).isEqualTo(100);
    assertThat(total.mean()).isEqualTo(2.0);
    assertThat(stats.failures()).singleElement().satisfies(f -> {
      assertThat(f.occurrences()).isEqualTo(25);
      assertThat(f.firstSeenEpochMillis()).isEqualTo(1_000);
      assertThat(f.lastSeenEpochMillis()).isEqualTo(1_096);
    });
  }

  @Test
  void currentRateLooksAtTheLastTenSeconds() {
    RunStats stats = new RunStats(0, History.DEFAULT_CAPACITY);
    for (int second = 1; second <= 20; second++) {
      int perSecond = second <= 10 ? 10 : 100;
      for (int i = 0; i < perSecond; i++) {
        stats.record("GET", "/a", 1_000_000, 0, null, second * 1_000L);
      }
      stats.tick(second * 1_000L, 1);
    }
    assertThat(stats.total(20).currentRps()).isEqualTo(100.0);
    assertThat(stats.endpoints(20).get(0).currentRps()).isEqualTo(100.0);
    assertThat(stats.total(20).rps()).isEqualTo(55.0);
  }

  @Test
  void historyStaysBoundedAndKeepsSpikes() {
    History history = new History(8);
    double[] quiet = new double[Percentiles.REPORTED.length];
    double[] spike = quiet.clone();
    Arrays.fill(spike, 900);
    for (int i = 0; i < 100; i++) {
      history.add(new HistoryPoint(i * 1000L, 1, 5, 10, 0, new Percentiles(i == 50 ? spike : quiet), i, 0));
    }
    assertThat(history.points()).hasSizeLessThanOrEqualTo(8);
    assertThat(history.points()).anySatisfy(p -> assertThat(p.percentiles().at(99)).isEqualTo(900));
    assertThat(history.points()).allSatisfy(p -> assertThat(p.rps()).isEqualTo(10.0));
  }
}
