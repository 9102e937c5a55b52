package dev.stampede.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.kpi.KpiFile;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.result.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The KPI file and baseline that examples/ci/ ships are valid and fit the demo's endpoints. */
class ExampleCiFilesTest {

  static final Path CI = Path.of("..", "..", "examples", "ci");

  @Test
  void theExampleKpiFileLoadsAndEveryKeyNamesADemoEndpoint() {
    KpiFile kpis = KpiFile.load(CI.resolve("kpis.yaml"), new YAMLFactory());
    RunResultFile demo = ResultJson.read(Results.resource("demo-result.json"));

    KpiReport report = new KpiEvaluator(KpiEvaluatorTest.NOV_23).evaluate(kpis, demo);

    assertThat(kpis.abortOnFail().enabled()).isTrue();
    assertThat(report.verdicts()).isNotEmpty().allSatisfy(v -> assertThat(v.measured())
        .as(v.message()).isNotNaN());
  }

  @Test
  void theCommittedBaselineIsAResultFileOfTheDemo() {
    Path baseline = CI.resolve("baseline.json");
    assertThat(baseline).exists();

    RunResultFile result = ResultJson.read(baseline);

    assertThat(result.endpoints()).containsKeys("GET /friend-service/v1/users?username=[term]",
        "POST /friend-service/v1/users", "POST /friend-service/v1/friends");
    assertThat(Files.isRegularFile(CI.resolve("github-actions.yml"))).isTrue();
    assertThat(Files.isRegularFile(CI.resolve("gitlab-ci.yml"))).isTrue();
  }
}
