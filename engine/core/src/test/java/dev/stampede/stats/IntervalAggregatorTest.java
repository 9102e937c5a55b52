package dev.stampede.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stampede.RequestResult;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class IntervalAggregatorTest {

  private static RequestResult result(String method, String name, long nanos, long bytes, String failure) {
    return new RequestResult(0, method, name, nanos, bytes, failure == null ? 200 : 500, failure, Map.of());
  }

  @Test
  void totalIsExactlyEveryResultOfEveryEndpoint() {
    IntervalAggregator aggregator = new IntervalAggregator(100, 0);
    Histogram expected = new Histogram(IntervalAggregator.SIGNIFICANT_DIGITS);
    Random random = new Random(3);
    long sumNanos = 0;
    long bytes = 0;
    long failures = 0;
    for (int i = 0; i < 10_000; i++) {
      // Runs of one endpoint and interleavings, as the bus delivers them.
      int endpoint = i % 100 < 50 ? 0 : random.nextInt(4);
      long nanos = (long) (Math.exp(random.nextGaussian() + Math.log(5)) * 1e6);
      String failure = random.nextInt(20) == 0 ? "HTTP 500" : null;
      aggregator.add(result(endpoint == 3 ? "POST" : "GET", "/e" + endpoint, nanos, i % 7, failure));
      expected.recordValue(nanos / 1_000);
      sumNanos += nanos;
      bytes += i % 7;
      failures += failure == null ? 0 : 1;
    }

    IntervalStats stats = aggregator.drain(10_000);

    IntervalStats.Endpoint total = stats.total();
    assertThat(total.count()).isEqualTo(10_000);
    assertThat(total.failures()).isEqualTo(failures);
    assertThat(total.bytes()).isEqualTo(bytes);
    assertThat(total.mean()).isEqualTo(sumNanos / 1e6 / 10_000);
    assertThat(total.micros()).isEqualTo(expected);
    assertThat(total.errors()).isEqualTo(Map.of("HTTP 500", failures));
    assertThat(stats.endpoints().stream().mapToLong(IntervalStats.Endpoint::count).sum()).isEqualTo(10_000);
    assertThat(stats.endpoints()).extracting(IntervalStats.Endpoint::name).containsExactly("/e0", "/e1", "/e2", "/e3");
  }

  @Test
  void nextIntervalStartsEmptyAfterADrain() {
    IntervalAggregator aggregator = new IntervalAggregator(10, 0);
    aggregator.add(result("GET", "/a", 2_000_000, 1, null));
    aggregator.drain(1_000);

    assertThat(aggregator.isEmpty()).isTrue();
    aggregator.add(result("GET", "/a", 4_000_000, 1, "HTTP 500"));
    IntervalStats stats = aggregator.drain(2_000);

    assertThat(stats.total().count()).isEqualTo(1);
    assertThat(stats.total().min()).isEqualTo(4.0);
    assertThat(stats.total().errors()).containsExactly(Map.entry("HTTP 500", 1L));
    assertThat(stats.endpoints()).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(1));
  }

  @Test
  void countsEveryResultFoldedIntoOtherEvenWhenTheyFollowEachOther() {
    IntervalAggregator aggregator = new IntervalAggregator(1, 0);
    aggregator.add(result("GET", "/kept", 1_000_000, 0, null));
    for (int i = 0; i < 5; i++) {
      aggregator.add(result("GET", "/folded", 1_000_000, 0, null));
    }
    aggregator.add(result("GET", "/kept", 1_000_000, 0, null));

    IntervalStats stats = aggregator.drain(1_000);

    assertThat(aggregator.overflowedEndpoints()).isEqualTo(5);
    assertThat(stats.endpoints()).extracting(IntervalStats.Endpoint::name, IntervalStats.Endpoint::count)
        .containsExactly(tuple("/kept", 2L), tuple(IntervalStats.OTHER_NAME, 5L));
  }
}
