package dev.stampede.gate;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.kpi.AbortOnFail;
import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.kpi.Metric;
import dev.stampede.result.Results;
import dev.stampede.result.RunResultFile;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class KpiEvaluatorTest {

  static final Clock NOV_23 = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
  final KpiEvaluator evaluator = new KpiEvaluator(NOV_23);

  final RunResultFile run = Results.run()
      .endpoint(ep("GET", "/store/inventory").count(1000).failures(2).rps(480).mean(30)
          .p(90, 72).p(95, 90).p(99, 140))
      .endpoint(ep("GET", "/users").count(500).rps(50).mean(10))
      .endpoint(ep("POST", "/users").count(200).rps(20).mean(15))
      .build();

  static KpiFile kpis(Kpi... kpis) {
    return new KpiFile("test", List.of(kpis), AbortOnFail.OFF);
  }

  @Test
  void aMissedKpiFailsWithExitOneAndNamesTheKpi() {
    KpiReport report = evaluator.evaluate(
        kpis(Kpi.of("GET /store/inventory", "percentile_90", 50)), run);

    assertThat(report.exitCode()).isEqualTo(1);
    Verdict v = report.verdicts().get(0);
    assertThat(v.status()).isEqualTo(Verdict.Status.FAILED);
    assertThat(v.measured()).isEqualTo(72.0);
    assertThat(v.message())
        .isEqualTo("GET /store/inventory percentile_90 FAILED: GET /store/inventory percentile_90"
            + " = 72 ms, bound <= 50 ms");
  }

  @Test
  void generousKpisPassWithExitZero() {
    KpiReport report = evaluator.evaluate(kpis(
        Kpi.of("GET /store/inventory", "p95_ms", 1000),
        Kpi.of("GET /store/inventory", "rps", 100),
        Kpi.of("GET /store/inventory", "error_rate", 1),
        Kpi.of("GET /store/inventory", "failures", 10),
        Kpi.of("GET /store/inventory", "count", 1000),
        Kpi.of("GET /store/inventory", "avg", 30),
        Kpi.of("total", "p99", 800)), run);

    assertThat(report.verdicts()).extracting(Verdict::status).containsOnly(Verdict.Status.PASSED);
    assertThat(report.exitCode()).isZero();
  }

  @Test
  void lowerBoundsFailWhenTheRunFallsShort() {
    KpiReport report = evaluator.evaluate(kpis(
        Kpi.of("GET /store/inventory", "rps", 500),
        Kpi.of("GET /store/inventory", "count", 1001)), run);

    assertThat(report.verdicts()).extracting(Verdict::status)
        .containsExactly(Verdict.Status.FAILED, Verdict.Status.FAILED);
    assertThat(report.verdicts().get(0).message()).endsWith("= 480 /s, bound >= 500 /s");
  }

  @Test
  void errorRateIsAPercentOfRequests() {
    Verdict v = evaluator.evaluate(Kpi.of("GET /store/inventory", "error_rate", 0.1), run);

    assertThat(v.measured()).isEqualTo(0.2);
    assertThat(v.status()).isEqualTo(Verdict.Status.FAILED);
  }

  @Test
  void aKpiOnAnEndpointThatNeverReceivedARequestFailsNamingIt() {
    Verdict v = evaluator.evaluate(Kpi.of("GET /store/inventroy", "error_rate", 100), run);

    assertThat(v.status()).isEqualTo(Verdict.Status.FAILED);
    assertThat(v.measured()).isNaN();
    assertThat(v.message()).startsWith("GET /store/inventroy error_rate FAILED: no request reached"
        + " 'GET /store/inventroy' (check the name; endpoints in this run: GET /store/inventory,");
  }

  @Test
  void anEndpointListedWithZeroRequestsFailsToo() {
    RunResultFile idle = Results.run().endpoint(ep("GET", "/idle").count(0)).build();

    Verdict v = evaluator.evaluate(Kpi.of("GET /idle", "failures", 0), idle);

    assertThat(v.status()).isEqualTo(Verdict.Status.FAILED);
    assertThat(v.message()).contains("'GET /idle' received no request");
  }

  @Test
  void aBareNameResolvesWhenOnlyOneMethodUsesIt() {
    Verdict v = evaluator.evaluate(Kpi.of("/store/inventory", "p99", 150), run);

    assertThat(v.status()).isEqualTo(Verdict.Status.PASSED);
    assertThat(v.endpoint()).isEqualTo("GET /store/inventory");
    assertThat(v.measured()).isEqualTo(140.0);
  }

  @Test
  void aBareNameThatTwoMethodsUseIsAnErrorListingBoth() {
    Verdict v = evaluator.evaluate(Kpi.of("/users", "p99", 1000), run);

    assertThat(v.status()).isEqualTo(Verdict.Status.FAILED);
    assertThat(v.message()).contains("'/users' is ambiguous: it matches GET /users, POST /users;"
        + " write the method too");
  }

  @Test
  void aKpiBeforeItsSkipUntilDateIsSkippedWithItsReasonAndMeasurement() {
    Kpi kpi = new Kpi("GET /store/inventory", "p90", Metric.parse("p90").orElseThrow(), 50,
        LocalDate.of(2026, 11, 24), "index rebuild");

    KpiReport report = evaluator.evaluate(kpis(kpi), run);

    Verdict v = report.verdicts().get(0);
    assertThat(v.status()).isEqualTo(Verdict.Status.SKIPPED);
    assertThat(v.measured()).isEqualTo(72.0);
    assertThat(v.message()).isEqualTo("GET /store/inventory p90 skipped until 2026-11-24"
        + " (index rebuild): GET /store/inventory p90 = 72 ms, bound <= 50 ms");
    assertThat(report.exitCode()).isZero();
  }

  @Test
  void aKpiOnOrAfterItsSkipUntilDateCountsAgain() {
    Kpi kpi = new Kpi("GET /store/inventory", "p90", Metric.parse("p90").orElseThrow(), 50,
        LocalDate.of(2026, 11, 23), "index rebuild");
    Clock later = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);

    assertThat(evaluator.evaluate(kpis(kpi), run).exitCode()).isEqualTo(1);
    assertThat(new KpiEvaluator(later).evaluate(kpis(kpi), run).exitCode()).isEqualTo(1);
  }

  @Test
  void aSkippedKpiOnAMissingEndpointIsStillSkipped() {
    Kpi kpi = new Kpi("GET /new", "p90", Metric.parse("p90").orElseThrow(), 50,
        LocalDate.of(2027, 1, 1), "");

    Verdict v = evaluator.evaluate(kpi, run);

    assertThat(v.status()).isEqualTo(Verdict.Status.SKIPPED);
    assertThat(v.message()).contains("no request reached 'GET /new'");
  }

  @Test
  void theVerdictTableShowsMeasuredBoundAndVerdictPerKpi() {
    KpiReport report = evaluator.evaluate(kpis(
        Kpi.of("GET /store/inventory", "percentile_90", 50),
        Kpi.of("total", "p99", 800)), run);

    String table = VerdictTable.render(report);

    assertThat(table).isEqualTo("""
        KPI                                 measured      bound  verdict
        ----------------------------------------------------------------
        GET /store/inventory percentile_90     72 ms   <= 50 ms   FAILED
        total p99                             140 ms  <= 800 ms   PASSED
          GET /store/inventory percentile_90 FAILED: GET /store/inventory percentile_90 = 72 ms, \
        bound <= 50 ms
        KPIs: 1 passed, 1 failed, 0 skipped -> FAILED
        """);
  }
}
