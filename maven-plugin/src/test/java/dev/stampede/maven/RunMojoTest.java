package dev.stampede.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunMojoTest {

  @Test
  void takesTheVerdictTableOutOfTheRunsOutputForTheBuildFailure() {
    List<String> output = List.of(
        "Stampede run 3598f004: scenario ShopScenario with 4 users against http://127.0.0.1:39263",
        "Type Name  # reqs",
        "",
        "KPI               measured          bound  verdict",
        "--------------------------------------------------",
        "total error_rate       0 %         <= 0 %   PASSED",
        "total rps         74.68 /s  >= 1000000 /s   FAILED",
        "  total rps FAILED: total rps = 74.68 /s, bound >= 1000000 /s",
        "KPIs: 1 passed, 1 failed, 0 skipped -> FAILED",
        "stampede: FAILED: a KPI was missed");

    assertThat(RunMojo.verdictTable(output)).isEqualTo("""

        KPI               measured          bound  verdict
        --------------------------------------------------
        total error_rate       0 %         <= 0 %   PASSED
        total rps         74.68 /s  >= 1000000 /s   FAILED
          total rps FAILED: total rps = 74.68 /s, bound >= 1000000 /s
        KPIs: 1 passed, 1 failed, 0 skipped -> FAILED""");
  }

  @Test
  void withoutAVerdictTableSaysWhatTheRunSaidLast() {
    List<String> output = List.of("Stampede run 1: ...", "stampede: FAILED: 3 of 40 requests failed", "");

    assertThat(RunMojo.verdictTable(output)).isEqualTo(": FAILED: 3 of 40 requests failed");
  }
}
