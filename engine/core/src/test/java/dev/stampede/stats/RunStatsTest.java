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

  @Test
  void ticksTakeIntervalsForListenersThatAddUpToTheTotals() {
    RunStats stats = new RunStats(0, History.DEFAULT_CAPACITY);
    stats.intervalsForListeners(true);
    for (int i = 0; i < 10; i++) {
      stats.record("GET", "/a", 2_000_000, 100, null, 100);
    }
    stats.record("POST", "/b", 5_000_000, 7, "HTTP 500", 200);
    stats.tick(1_000, 3);
    for (int i = 0; i < 4; i++) {
      stats.record("GET", "/a", 4_000_000, 10, i == 0 ? "HTTP 503" : null, 1_100);
    }
    stats.tick(2_000, 3);
    stats.tick(3_000, 3);

    java.util.List<TickInterval> intervals = stats.takeIntervals();
    assertThat(intervals).extracting(TickInterval::startMillis).containsExactly(0L, 1_000L, 2_000L);
    assertThat(intervals).extracting(TickInterval::endMillis).containsExactly(1_000L, 2_000L, 3_000L);
    assertThat(intervals).extracting(TickInterval::count).containsExactly(11L, 4L, 0L);
    assertThat(intervals.get(2).endpoints()).isEmpty();

    TickInterval.Endpoint b = intervals.get(0).endpoints().stream().filter(e -> e.name().equals("/b")).findFirst()
        .orElseThrow();
    assertThat(b.method()).isEqualTo("POST");
    assertThat(b.failures()).isEqualTo(1);
    assertThat(b.errors()).containsExactly(java.util.Map.entry("HTTP 500", 1L));
    TickInterval.Endpoint second = intervals.get(1).endpoints().get(0);
    assertThat(second.name()).isEqualTo("/a");
    assertThat(second.count()).isEqualTo(4);
    assertThat(second.failures()).isEqualTo(1);
    assertThat(second.bytes()).isEqualTo(40);
    assertThat(second.sumNanos()).isEqualTo(16_000_000);
    assertThat(second.micros().getTotalCount()).isEqualTo(4);
    assertThat(second.micros().getMinValue()).isEqualTo(4_000);
    assertThat(second.errors()).containsExactly(java.util.Map.entry("HTTP 503", 1L));

    // Each interval is handed out once; the sums are the run's totals.
    assertThat(stats.takeIntervals()).isEmpty();
    long count = intervals.stream().mapToLong(TickInterval::count).sum();
    assertThat(count).isEqualTo(stats.total(3).count());
  }

  @Test
  void ticksTakeNoIntervalUnlessAListenerIsFedThem() {
    RunStats stats = new RunStats(0, History.DEFAULT_CAPACITY);
    stats.record("GET", "/a", 2_000_000, 100, null, 100);
    stats.tick(1_000, 1);
    assertThat(stats.takeIntervals()).isEmpty();
  }
}
