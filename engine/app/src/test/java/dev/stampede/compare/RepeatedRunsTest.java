package dev.stampede.compare;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stampede.result.Results;
import dev.stampede.result.RunResultFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedRunsTest {

  static RunResultFile run(double p95, long count, double rps) {
    return Results.run().runId("r" + p95)
        .endpoint(ep("GET", "/a").count(count).rps(rps).mean(p95 / 2).p(95, p95))
        .build();
  }

  @Test
  void takesThePerEndpointMedianOfEachStatistic() {
    RepeatedRuns runs = RepeatedRuns.of(List.of(
        run(100, 1000, 50), run(90, 1200, 70), run(110, 900, 60)), 15);

    RunResultFile.EndpointResult a = runs.median().endpoints().get("GET /a");
    assertThat(a.percentile(95)).isEqualTo(100);
    assertThat(a.count()).isEqualTo(1000);
    assertThat(a.rps()).isEqualTo(60);
    assertThat(a.mean()).isEqualTo(50);
    assertThat(runs.median().total().percentile(95)).isEqualTo(100);
    assertThat(runs.median().runId()).isEqualTo("median of 3: r100.0,r90.0,r110.0");
  }

  @Test
  void averagesTheMiddleTwoOfAnEvenNumberOfRuns() {
    RepeatedRuns runs = RepeatedRuns.of(List.of(
        run(100, 1000, 50), run(90, 1000, 50), run(110, 1000, 50), run(200, 1000, 50)), 50);

    assertThat(runs.median().endpoints().get("GET /a").percentile(95)).isEqualTo(105);
  }

  @Test
  void runsThatAgreeAreConclusive() {
    // p95 of 100, 90 and 110: sample standard deviation 10 over mean 100 is a CV of 10%.
    RepeatedRuns runs = RepeatedRuns.of(List.of(
        run(100, 1000, 50), run(90, 1000, 50), run(110, 1000, 50)), 15);

    assertThat(runs.p95CvPercent().get("GET /a")).isCloseTo(10.0, within(1e-9));
    assertThat(runs.conclusive()).isTrue();
    assertThat(runs.verdict())
        .isEqualTo("conclusive: p95 varies by at most 10.0% across 3 runs (max-cv 15%)");
    assertThat(runs.exitCode(1, NoisePolicy.WARN)).isEqualTo(1);
    assertThat(runs.exitCode(0, NoisePolicy.WARN)).isZero();
  }

  @Test
  void runsWhoseP95VariesBeyondMaxCvAreInconclusiveAndWarnByDefault() {
    // p95 of 100, 80 and 120: CV 20%.
    RepeatedRuns runs = RepeatedRuns.of(List.of(
        run(100, 1000, 50), run(80, 1000, 50), run(120, 1000, 50)), 15);

    assertThat(runs.conclusive()).isFalse();
    assertThat(runs.noisy()).containsExactlyInAnyOrder("GET /a", "total");
    assertThat(runs.verdict()).startsWith("inconclusive: environment too noisy: p95 varies by"
        + " 20.0% on GET /a").endsWith("across 3 runs (max-cv 15%)");
    assertThat(runs.exitCode(1, NoisePolicy.WARN)).as("warns instead of failing").isZero();
    assertThat(runs.exitCode(1, NoisePolicy.FAIL)).isEqualTo(1);
    assertThat(runs.exitCode(0, NoisePolicy.FAIL)).isEqualTo(1);
  }

  @Test
  void theSameRunsPassAHigherMaxCv() {
    RepeatedRuns runs = RepeatedRuns.of(List.of(
        run(100, 1000, 50), run(80, 1000, 50), run(120, 1000, 50)), 25);

    assertThat(runs.conclusive()).isTrue();
  }

  @Test
  void aSingleRunIsConclusive() {
    RepeatedRuns runs = RepeatedRuns.of(List.of(run(100, 1000, 50)), 15);

    assertThat(runs.p95CvPercent()).containsEntry("GET /a", 0.0);
    assertThat(runs.conclusive()).isTrue();
  }

  @Test
  void anEndpointOnlySomeRunsReachedGetsTheMedianOfThoseRuns() {
    RunResultFile withB = Results.run()
        .endpoint(ep("GET", "/a").p(95, 100)).endpoint(ep("GET", "/b").p(95, 40)).build();
    RunResultFile withoutB = Results.run().endpoint(ep("GET", "/a").p(95, 100)).build();

    RepeatedRuns runs = RepeatedRuns.of(List.of(withB, withoutB, withoutB), 15);

    assertThat(runs.median().endpoints().get("GET /b").percentile(95)).isEqualTo(40);
  }
}
