package dev.stampede.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.kpi.KpiFile;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.result.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate from files, as {@code stampede run --kpi kpis.yaml --junit kpi.xml} uses it. */
class KpiGateTest {

  @TempDir Path dir;
  final StringWriter out = new StringWriter();

  int gate(String kpiYaml, Path junit) throws Exception {
    Path kpiFile = dir.resolve("kpis.yaml");
    Files.writeString(kpiFile, kpiYaml);
    KpiGate gate = new KpiGate(KpiFile.load(kpiFile, new YAMLFactory()), KpiEvaluatorTest.NOV_23);
    RunResultFile result = ResultJson.read(Results.resource("result-sample.json"));
    return gate.judge(result, new PrintWriter(out, true), junit, "ci-42");
  }

  @Test
  void aKpiThatMustFailExitsOneNamingIt() throws Exception {
    Path junit = dir.resolve("kpi.xml");

    int code = gate("""
        kpis:
          "GET /friend-service/v1/users": { percentile_90: 5 }
          total: { error_rate: 5 }
        """, junit);

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains("GET /friend-service/v1/users percentile_90 FAILED: GET /friend-service/v1/users"
            + " percentile_90 = 34 ms, bound <= 5 ms")
        .endsWith("KPIs: 1 passed, 1 failed, 0 skipped -> FAILED\n");
    assertThat(Files.readString(junit)).contains("<failure message=\"GET /friend-service/v1/users"
        + " percentile_90 FAILED");
  }

  @Test
  void generousKpisExitZero() throws Exception {
    int code = gate("""
        kpis:
          "GET /friend-service/v1/users": { percentile_90: 5000, rps: 1, error_rate: 50 }
          /friend-service/v1/friends: { p99: 5000, count: 1 }
          total: { p99: 5000, avg: 5000, max: 60000 }
        """, null);

    assertThat(code).isZero();
    assertThat(out.toString()).endsWith("KPIs: 8 passed, 0 failed, 0 skipped -> PASSED\n");
  }

  @Test
  void aTypoInAnEndpointFailsTheGate() throws Exception {
    int code = gate("kpis:\n  \"GET /friend-service/v1/user\": { error_rate: 100 }\n", null);

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("no request reached 'GET /friend-service/v1/user'");
  }

  @Test
  void anAmbiguousBareNameFailsTheGate() throws Exception {
    int code = gate("kpis:\n  /friend-service/v1/users: { p99: 5000 }\n", null);

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("'/friend-service/v1/users' is ambiguous: it matches"
        + " GET /friend-service/v1/users, POST /friend-service/v1/users");
  }
}
