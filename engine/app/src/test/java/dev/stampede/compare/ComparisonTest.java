package dev.stampede.compare;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.compare.ComparisonReport.Change;
import dev.stampede.compare.ComparisonReport.Row;
import dev.stampede.kpi.Metric;
import dev.stampede.result.Results;
import dev.stampede.result.RunResultFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  final Comparison comparison = Comparison.builder().build();

  static RunResultFile run(double p95, double failures) {
    return Results.run()
        .endpoint(ep("GET", "/a").count(1000).failures((long) failures).mean(20).p(50, 15)
            .p(95, p95).p(99, p95 * 1.5))
        .build();
  }

  static Row row(ComparisonReport report, String endpoint, String metric) {
    return report.rows().stream()
        .filter(r -> r.endpoint().equals(endpoint) && r.metric().name().equals(metric))
        .findFirst().orElseThrow();
  }

  @Test
  void aSlowerP95BeyondToleranceIsARegression() {
    ComparisonReport report = comparison.compare(run(100, 0), run(125, 0));

    Row p95 = row(report, "GET /a", "p95");
    assertThat(p95.baseline()).isEqualTo(100);
    assertThat(p95.current()).isEqualTo(125);
    assertThat(p95.deltaPercent()).isEqualTo(25.0);
    assertThat(p95.change()).isEqualTo(Change.REGRESSED);
    assertThat(row(report, "GET /a", "p50").change()).isEqualTo(Change.UNCHANGED);
    assertThat(report.failed()).isTrue();
    assertThat(report.exitCode(NoisePolicy.WARN)).isEqualTo(1);
  }

  @Test
  void aChangeWithinToleranceIsNotARegression() {
    ComparisonReport report = comparison.compare(run(100, 0), run(110, 0));

    assertThat(row(report, "GET /a", "p95").change()).isEqualTo(Change.UNCHANGED);
    assertThat(report.exitCode(NoisePolicy.WARN)).isZero();
  }

  @Test
  void aFasterRunIsAnImprovementAndPasses() {
    ComparisonReport report = comparison.compare(run(100, 0), run(60, 0));

    assertThat(row(report, "GET /a", "p95").change()).isEqualTo(Change.IMPROVED);
    assertThat(row(report, "GET /a", "p95").deltaPercent()).isEqualTo(-40.0);
    assertThat(report.improvements()).isNotEmpty();
    assertThat(report.exitCode(NoisePolicy.WARN)).isZero();
  }

  @Test
  void subMillisecondChangesAreNoiseEvenWhenLargeInPercent() {
    ComparisonReport report = comparison.compare(run(0.4, 0), run(0.9, 0));

    assertThat(row(report, "GET /a", "p95").deltaPercent()).isEqualTo(125.0);
    assertThat(row(report, "GET /a", "p95").change()).isEqualTo(Change.UNCHANGED);
  }

  @Test
  void errorsWhereTheBaselineHadNoneAreARegressionBeyondTheFloor() {
    assertThat(row(comparison.compare(run(100, 0), run(100, 5)), "GET /a", "error_rate").change())
        .isEqualTo(Change.REGRESSED);
    assertThat(row(comparison.compare(run(100, 0), run(100, 1)), "GET /a", "error_rate").change())
        .as("one failure in 1000 is 0.1 points: not beyond the floor")
        .isEqualTo(Change.UNCHANGED);
  }

  @Test
  void throughputRegressesDownwards() {
    RunResultFile before = Results.run().endpoint(ep("GET", "/a").rps(100)).build();
    RunResultFile after = Results.run().endpoint(ep("GET", "/a").rps(80)).build();

    ComparisonReport report = Comparison.builder().metrics(List.of(Metric.RPS)).build()
        .compare(before, after);

    assertThat(row(report, "GET /a", "rps").change()).isEqualTo(Change.REGRESSED);
  }

  @Test
  void reportsNewAndMissingEndpointsWithoutFailingByDefault() {
    RunResultFile before = Results.run()
        .endpoint(ep("GET", "/a")).endpoint(ep("GET", "/gone")).build();
    RunResultFile after = Results.run()
        .endpoint(ep("GET", "/a")).endpoint(ep("POST", "/new")).build();

    ComparisonReport report = comparison.compare(before, after);

    assertThat(report.newEndpoints()).containsExactly("POST /new");
    assertThat(report.missingEndpoints()).containsExactly("GET /gone");
    assertThat(report.rows()).extracting(Row::endpoint).containsOnly("GET /a", "total");
    assertThat(report.exitCode(NoisePolicy.WARN)).isZero();
    assertThat(report.render())
        .contains("New endpoints (not in the baseline): POST /new")
        .contains("Missing endpoints (in the baseline, not in this run): GET /gone");
    assertThat(Comparison.builder().failOnMissing(true).build().compare(before, after)
        .exitCode(NoisePolicy.WARN)).isEqualTo(1);
  }

  @Test
  void rendersATableOfDeltas() {
    String table = Comparison.builder().metrics(List.of(Metric.percentile(95))).build()
        .compare(run(100, 0), run(125, 0)).render();

    assertThat(table).isEqualTo("""
        endpoint  metric  baseline  current   delta    verdict
        ------------------------------------------------------
        GET /a    p95       100 ms   125 ms  +25.0%  regressed
        total     p95       100 ms   125 ms  +25.0%  regressed
        Result: 2 regression(s), 0 improvement(s) beyond 10% tolerance -> REGRESSED
        """);
  }

  @Test
  void comparesTheMediansOfTwoSetsOfRuns() {
    List<RunResultFile> base = List.of(run(100, 0), run(104, 0), run(98, 0));
    List<RunResultFile> change = List.of(run(130, 0), run(126, 0), run(128, 0));

    ComparisonReport report = comparison.compareSets(base, change, 15);

    Row p95 = row(report, "GET /a", "p95");
    assertThat(p95.baseline()).isEqualTo(100);
    assertThat(p95.current()).isEqualTo(128);
    assertThat(p95.change()).isEqualTo(Change.REGRESSED);
    assertThat(report.inconclusive()).isFalse();
    assertThat(report.notes()).hasSize(2).allMatch(n -> n.contains("conclusive: p95 varies"));
    assertThat(report.exitCode(NoisePolicy.WARN)).isEqualTo(1);
  }

  @Test
  void aNoisySetMakesTheComparisonInconclusive() {
    List<RunResultFile> base = List.of(run(100, 0), run(40, 0), run(180, 0));
    List<RunResultFile> change = List.of(run(130, 0), run(126, 0), run(128, 0));

    ComparisonReport report = comparison.compareSets(base, change, 15);

    assertThat(report.inconclusive()).isTrue();
    assertThat(report.failed()).isTrue();
    assertThat(report.exitCode(NoisePolicy.WARN)).isZero();
    assertThat(report.exitCode(NoisePolicy.FAIL)).isEqualTo(1);
    assertThat(report.render()).contains("(inconclusive: environment too noisy)");
  }
}
