package dev.stampede.gate;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.kpi.AbortOnFail;
import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.result.Results;
import dev.stampede.result.RunResultFile;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbortOnFailCheckTest {

  final KpiEvaluator evaluator = new KpiEvaluator(KpiEvaluatorTest.NOV_23);
  final AbortOnFail after30s = new AbortOnFail(true, Duration.ofSeconds(30));

  final RunResultFile slowSoFar = Results.run()
      .endpoint(ep("GET", "/x").count(50).rps(5).mean(400).p(95, 900))
      .build();

  AbortOnFailCheck check(AbortOnFail abort, Kpi... kpis) {
    return new AbortOnFailCheck(new KpiFile("test", List.of(kpis), abort), evaluator);
  }

  @Test
  void judgesNothingBeforeTheDelay() {
    AbortOnFailCheck check = check(after30s, Kpi.of("GET /x", "p95", 200));

    assertThat(check.check(slowSoFar, Duration.ofSeconds(29))).isEmpty();
  }

  @Test
  void reportsALostUpperBoundOnceTheDelayHasPassed() {
    AbortOnFailCheck check = check(after30s, Kpi.of("GET /x", "p95", 200));

    assertThat(check.check(slowSoFar, Duration.ofSeconds(30)))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("GET /x p95 FAILED: GET /x p95 = 900 ms"));
  }

  @Test
  void leavesLowerBoundsAndEndpointsWithoutRequestsToTheEnd() {
    AbortOnFailCheck check = check(after30s,
        Kpi.of("GET /x", "rps", 100), Kpi.of("GET /x", "count", 10_000),
        Kpi.of("GET /later", "p95", 1));

    assertThat(check.check(slowSoFar, Duration.ofMinutes(5))).isEmpty();
  }

  @Test
  void neverAbortsWhenTheFileDoesNotAskForIt() {
    AbortOnFailCheck check = check(AbortOnFail.OFF, Kpi.of("GET /x", "p95", 200));

    assertThat(check.enabled()).isFalse();
    assertThat(check.check(slowSoFar, Duration.ofMinutes(5))).isEmpty();
  }

  @Test
  void keepsGoingWhileEveryKpiHolds() {
    AbortOnFailCheck check = check(after30s, Kpi.of("GET /x", "p95", 1000));

    assertThat(check.check(slowSoFar, Duration.ofMinutes(5))).isEmpty();
  }
}
