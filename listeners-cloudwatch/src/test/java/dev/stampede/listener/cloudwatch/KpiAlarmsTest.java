package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.kpi.AbortOnFail;
import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.kpi.Metric;
import dev.stampede.stats.IntervalAggregator;
import dev.stampede.stats.IntervalStats;
import dev.stampede.RequestResult;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

class KpiAlarmsTest {

  static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
  static final List<Dimension> BASE = List.of(Dimension.builder().name("Service").value("shop").build());

  static KpiAlarms plan(Kpi... kpis) {
    return new KpiAlarms("loadtests", new KpiFile("/tmp/kpi.yaml", List.of(kpis), AbortOnFail.OFF), 10, BASE,
        (name, value) -> Dimension.builder().name(name).value(CloudWatchNaming.dimensionValue(value)).build(), TODAY);
  }

  static List<IntervalStats.Endpoint> endpoints(String... methodAndName) {
    IntervalAggregator aggregator = new IntervalAggregator(100, 0);
    for (int i = 0; i < methodAndName.length; i += 2) {
      aggregator.addAll(List.of(new RequestResult(1_000, methodAndName[i], methodAndName[i + 1], 1_000_000, 10, 200,
          null, Map.of())));
    }
    return aggregator.drain(10_000).endpoints();
  }

  static List<String> names(List<Dimension> dimensions) {
    return dimensions.stream().map(d -> d.name() + "=" + d.value()).toList();
  }

  @Test
  void usesTheStepAsPeriodWhenCloudWatchAcceptsItAndRoundsUpOtherwise() {
    assertThat(KpiAlarms.periodSeconds(Duration.ofSeconds(1), 1)).isEqualTo(10);
    assertThat(KpiAlarms.periodSeconds(Duration.ofSeconds(10), 1)).isEqualTo(10);
    assertThat(KpiAlarms.periodSeconds(Duration.ofSeconds(15), 1)).isEqualTo(20);
    assertThat(KpiAlarms.periodSeconds(Duration.ofSeconds(30), 1)).isEqualTo(30);
    assertThat(KpiAlarms.periodSeconds(Duration.ofSeconds(45), 1)).isEqualTo(60);
    assertThat(KpiAlarms.periodSeconds(Duration.ofMillis(60_500), 60)).isEqualTo(120);
    assertThat(KpiAlarms.periodSeconds(Duration.ofMinutes(5), 60)).isEqualTo(300);
    assertThat(KpiAlarms.periodSeconds(Duration.ofHours(1), 60)).isEqualTo(3600);
  }

  @Test
  void standardResolutionMetricsGetMinutePeriodsEvenForShortSteps() {
    assertThat(KpiAlarms.periodSeconds(Duration.ofSeconds(10), 60)).isEqualTo(60);
  }

  @Test
  void namesTheAlarmAfterTheNamespaceAndTheKpi() {
    assertThat(KpiAlarms.alarmName("prod/shop/loadtests", Kpi.of("GET /store/inventory", "percentile_90", 50)))
        .isEqualTo("prod/shop/loadtests GET /store/inventory percentile_90");
  }

  @Test
  void escapesControlCharactersAndKeepsOtherUnicodeInAlarmNames() {
    assertThat(KpiAlarms.alarmName("ns", Kpi.of("/a\nb\\c/é", "p90", 5)))
        .isEqualTo("ns /a\\u000Ab\\\\c/é p90");
  }

  @Test
  void shortensLongAlarmNamesToTheLimitKeepingThemDistinct() {
    String a = KpiAlarms.alarmName("ns", Kpi.of("/" + "x".repeat(400) + "a", "p90", 5));
    String b = KpiAlarms.alarmName("ns", Kpi.of("/" + "x".repeat(400) + "b", "p90", 5));
    assertThat(a).hasSize(KpiAlarms.MAX_ALARM_NAME_LENGTH).startsWith("ns /xxx").containsPattern("~[0-9a-f]{12}$");
    assertThat(b).hasSize(KpiAlarms.MAX_ALARM_NAME_LENGTH).isNotEqualTo(a);
  }

  @Test
  void plansEndpointAndTotalAlarmsAtStart() {
    KpiAlarms plan = plan(Kpi.of("GET /x", "p99.9", 100), Kpi.of("total", "mean", 20));
    List<PutMetricAlarmRequest> requests = plan.atStart();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).extendedStatistic()).isEqualTo("p99.9");
    assertThat(names(requests.get(0).dimensions())).containsExactly("Name=/x", "Method=GET", "Service=shop");
    assertThat(requests.get(1).statisticAsString()).isEqualTo("Average");
    assertThat(names(requests.get(1).dimensions())).containsExactly("Service=shop");
    assertThat(plan.hasUnresolved()).isFalse();
  }

  @Test
  void sanitisesEndpointNamesInDimensionsLikeTheDatums() {
    PutMetricAlarmRequest request = plan(Kpi.of("GET /caf\u00e9", "max", 100)).atStart().get(0);
    assertThat(names(request.dimensions())).first().isEqualTo("Name=/caf\\u00E9");
  }

  @Test
  void resolvesABareNameWithTheOnlyMethodThatUsesIt() {
    KpiAlarms plan = plan(Kpi.of("search", "p95", 250));
    assertThat(plan.atStart()).isEmpty();
    assertThat(plan.resolve(endpoints("GET", "other"))).isEmpty();
    assertThat(plan.hasUnresolved()).isTrue();

    List<PutMetricAlarmRequest> requests = plan.resolve(endpoints("POST", "search", "GET", "other"));

    assertThat(requests).singleElement().satisfies(r ->
        assertThat(names(r.dimensions())).containsExactly("Name=search", "Method=POST", "Service=shop"));
    assertThat(plan.hasUnresolved()).isFalse();
    assertThat(plan.unresolved()).isEmpty();
  }

  @Test
  void givesNoAlarmToABareNameThatSeveralMethodsUse() {
    KpiAlarms plan = plan(Kpi.of("/items", "p95", 250));
    assertThat(plan.resolve(endpoints("GET", "/items", "POST", "/items"))).isEmpty();
    assertThat(plan.notCreated()).singleElement().satisfies(n -> assertThat(n.reason()).contains("ambiguous"));
    assertThat(plan.unresolved()).isEmpty();
  }

  @Test
  void watchesAnUnreachedNameOnNameAloneSoATypoIsVisible() {
    KpiAlarms plan = plan(Kpi.of("serach", "p95", 250));
    List<PutMetricAlarmRequest> requests = plan.unresolved();
    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(names(r.dimensions())).containsExactly("Name=serach", "Service=shop");
      assertThat(r.alarmDescription()).contains("No request of the run reached 'serach'");
    });
  }

  @Test
  void skipsKpisSkippedUntilALaterDateAndCountKpis() {
    Kpi skipped = new Kpi("GET /x", "p90", Metric.percentile(90), 50, TODAY.plusDays(1), "rebuild");
    Kpi dueToday = new Kpi("GET /x", "p95", Metric.percentile(95), 50, TODAY, "");
    KpiAlarms plan = plan(skipped, dueToday, Kpi.of("total", "count", 1000));
    assertThat(plan.atStart()).extracting(PutMetricAlarmRequest::extendedStatistic).containsExactly("p95");
    assertThat(plan.notCreated()).extracting(KpiAlarms.NotCreated::reason)
        .containsExactly("skipped until " + TODAY.plusDays(1) + " (rebuild)",
            "count is a total over the whole run, which no alarm period can check; the KPI gate checks it at the end");
  }

  @Test
  void rpsIsALowerBoundOnRequestsPerSecondOfThePeriod() {
    PutMetricAlarmRequest rps = plan(Kpi.of("GET /x", "rps", 40)).atStart().get(0);
    assertThat(rps.comparisonOperatorAsString()).isEqualTo("LessThanThreshold");
    assertThat(rps.metrics()).extracting(q -> q.expression()).containsExactly(null, "requests/10");
    assertThat(rps.metrics().get(0).metricStat().metric().metricName()).isEqualTo("RequestCount");
  }

  @Test
  void descriptionNamesTheFileAndTheBound() {
    PutMetricAlarmRequest request = plan(Kpi.of("GET /x", "error_rate", 0.5)).atStart().get(0);
    assertThat(request.alarmDescription())
        .isEqualTo("Stampede KPI GET /x error_rate <= 0.50 % from /tmp/kpi.yaml: ALARM when a 10 s period is above 0.50 %.");
    assertThat(request.alarmDescription().length()).isLessThanOrEqualTo(KpiAlarms.MAX_DESCRIPTION_LENGTH);
  }
}
