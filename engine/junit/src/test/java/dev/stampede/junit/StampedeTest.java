package dev.stampede.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.carrier.UserThreads;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class StampedeTest {

  @TempDir
  Path dir;

  private TestServer server;

  /** Requests /ok: every request succeeds. */
  public static class Browsing extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void ok() {
      http().get("/ok");
    }
  }

  /** Requests /fail: every request is a 503. */
  public static class Failing extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void fail() {
      http().get("/fail");
    }
  }

  @BeforeEach
  void startTarget() throws Exception {
    server = new TestServer();
  }

  @AfterEach
  void stopTarget() {
    server.close();
  }

  @Test
  void runsEmbeddedOnTheJdkSchedulerAndReturnsTheSummaryWhenTheKpisAreMet() {
    // This module's tests run as a user's would: without the carrier threads' --add-opens hook.
    assertThat(UserThreads.available()).isFalse();

    LoadTestResult result = Stampede.loadTest(Browsing.class)
        .host(server.baseUrl()).users(3).spawnRate(100)
        .runTime(Duration.ofSeconds(1)).stopTimeout(Duration.ofSeconds(30))
        .kpi("total", "error_rate", 0).kpi("GET /ok", "p95", "10s")
        .run()
        .assertKpisMet();

    assertThat(result.passed()).isTrue();
    assertThat(result.summary().peakUsers()).isEqualTo(3);
    assertThat(result.summary().total().count()).isPositive().isEqualTo(server.served());
    assertThat(result.kpis().verdicts()).hasSize(2);
    assertThat(result.verdictTable()).contains("KPIs: 2 passed, 0 failed, 0 skipped -> PASSED");
  }

  @Test
  void aMissedKpiFailsTheTestWithTheVerdictTable() {
    LoadTestResult result = Stampede.loadTest(Failing.class)
        .host(server.baseUrl()).runTime(Duration.ofSeconds(1)).stopTimeout(Duration.ofSeconds(30))
        .kpi("total", "error_rate", 0).kpi("total", "rps", 0.001)
        .run();

    assertThat(result.passed()).isFalse();
    assertThatThrownBy(result::assertKpisMet)
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage("Load test FAILED: 1 of 2 KPIs missed\n" + result.verdictTable());
    assertThat(result.verdictTable())
        .contains("error_rate").contains("FAILED")
        .endsWith("KPIs: 1 passed, 1 failed, 0 skipped -> FAILED\n");
  }

  @Test
  void judgesAYamlKpiFileAndWritesTheJsonResult() throws Exception {
    Path kpis = Files.writeString(dir.resolve("kpis.yaml"), "kpis:\n  \"GET /ok\": { error_rate: 0, p99: 10s }\n");
    Path json = dir.resolve("result.json");

    LoadTestResult result = Stampede.loadTest(Browsing.class)
        .host(server.baseUrl()).runTime(Duration.ofSeconds(1)).stopTimeout(Duration.ofSeconds(30))
        .kpis(kpis).json(json)
        .run()
        .assertKpisMet();

    assertThat(result.kpis().verdicts()).extracting(v -> v.kpi().name()).hasSize(2);
    assertThat(Files.readString(json)).contains("\"GET /ok\"");
  }

  @Test
  void aMalformedKpiIsReportedBeforeAnyLoad() {
    Stampede.Builder test = Stampede.loadTest(Browsing.class)
        .host(server.baseUrl()).runTime(Duration.ofSeconds(1)).kpi("total", "p95", "fast");

    assertThatThrownBy(test::run).isInstanceOf(ConfigException.class).hasMessageContaining("fast");
    assertThat(server.served()).isZero();
  }

  @Test
  void needsARunTime() {
    assertThatThrownBy(() -> Stampede.loadTest(Browsing.class).host(server.baseUrl()).run())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("runTime must be set");
  }

  @Test
  void checksEachSettingNamingItTheValueAndTheRule() {
    Stampede.Builder test = Stampede.loadTest(Browsing.class);

    assertThatThrownBy(() -> test.users(-3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("users must be >= 1 but was -3");
    assertThatThrownBy(() -> test.spawnRate(0)).hasMessage("spawnRate must be > 0 but was 0.0");
    assertThatThrownBy(() -> test.runTime(Duration.ZERO)).hasMessage("runTime must be > 0 but was PT0S");
    assertThatThrownBy(() -> test.arrivalRate(0)).hasMessage("arrivalRate must be > 0 but was 0.0");
    assertThatThrownBy(() -> test.carrierThreads(0)).hasMessage("carrierThreads must be >= 1 but was 0");
    assertThatThrownBy(() -> test.stopTimeout(Duration.ofSeconds(-1)))
        .hasMessage("stopTimeout must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> test.warmup(Duration.ofSeconds(-1))).hasMessage("warmup must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> Stampede.loadTest()).hasMessage("userClasses must name at least one User subclass but was empty");
  }

  @Test
  void leavesTheCommandLineAndTheWebAssetsOffTheTestsClassPath() {
    assertThatThrownBy(() -> Class.forName("picocli.CommandLine")).isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("org.eclipse.aether.RepositorySystem"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(getClass().getResource("/META-INF/resources/webjars/uplot")).isNull();
  }
}
