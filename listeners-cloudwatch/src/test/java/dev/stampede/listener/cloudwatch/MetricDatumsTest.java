package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.RequestResult;
import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import dev.stampede.stats.IntervalAggregator;
import dev.stampede.stats.IntervalStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

class MetricDatumsTest {

  private static final long START = 1_700_000_000_000L;
  private static final List<Dimension> BASE = List.of(MetricDatums.dimension("Service", "shop"));

  private static IntervalStats step() {
    IntervalAggregator aggregator = new IntervalAggregator(10, START);
    aggregator.add(new RequestResult(START * 1000, "GET", "/cart", 2_000_000, 100, 200, null, Map.of()));
    aggregator.add(new RequestResult(START * 1000, "GET", "/cart", 4_000_000, 300, 500, "HTTP 500", Map.of()));
    aggregator.add(new RequestResult(START * 1000, "POST", "/pay", 8_000_000, 50, 200, null, Map.of()));
    return aggregator.drain(START + 10_000);
  }

  private static List<String> names(List<OutgoingDatum> datums) {
    return datums.stream().map(d -> d.datum().metricName() + d.datum().dimensions().stream()
        .map(Dimension::value).toList()).toList();
  }

  @Test
  void sendsTimesCountsAndFailuresPerEndpointAndInTotalWithTheBaseDimensionsLast() {
    List<OutgoingDatum> datums = new MetricDatums(BASE, 1, false).of(step(), -1);

    assertThat(names(datums)).containsExactly(
        "ResponseTime[/cart, GET, shop]", "RequestCount[/cart, GET, shop]", "FailureCount[/cart, GET, shop]",
        "ResponseTime[/pay, POST, shop]", "RequestCount[/pay, POST, shop]", "FailureCount[/pay, POST, shop]",
        "ResponseTime[shop]", "RequestCount[shop]", "FailureCount[shop]");
    assertThat(datums).allSatisfy(d -> {
      assertThat(d.datum().timestamp()).isEqualTo(Instant.ofEpochMilli(START));
      assertThat(d.datum().storageResolution()).isEqualTo(1);
    });
    MetricDatum cartFailures = datums.get(2).datum();
    assertThat(cartFailures.value()).isEqualTo(1.0);
    assertThat(cartFailures.unit()).isEqualTo(StandardUnit.COUNT);
    assertThat(datums.get(0).datum().unit()).isEqualTo(StandardUnit.MILLISECONDS);
    assertThat(datums.get(0).datum().counts().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(2.0);
  }

  @Test
  void letsOnlyAnEndpointsRequestCountStandForItsResults() {
    List<OutgoingDatum> datums = new MetricDatums(BASE, 60, false).of(step(), -1);

    assertThat(datums).filteredOn(d -> d.results() > 0).extracting(d -> d.datum().metricName() + "=" + d.results())
        .containsExactly("RequestCount=2", "RequestCount=1");
  }

  @Test
  void addsResponseSizeWhenAskedAndUserCountOnlyWhenUsersWereSeen() {
    List<OutgoingDatum> withSize = new MetricDatums(BASE, 60, true).of(step(), 25);

    assertThat(withSize).filteredOn(d -> d.datum().metricName().equals("ResponseSize"))
        .extracting(d -> d.datum().value()).containsExactly(400.0, 50.0, 450.0);
    OutgoingDatum users = withSize.get(withSize.size() - 1);
    assertThat(users.datum().metricName()).isEqualTo("UserCount");
    assertThat(users.datum().value()).isEqualTo(25.0);
    assertThat(users.datum().dimensions()).isEqualTo(BASE);
    assertThat(names(new MetricDatums(BASE, 60, false).of(step(), -1))).noneMatch(n -> n.startsWith("UserCount"));
  }
}
