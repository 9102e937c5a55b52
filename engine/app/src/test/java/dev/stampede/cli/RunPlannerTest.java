package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.config.ConfigException;
import dev.stampede.http.HttpSession;
import dev.stampede.web.WebRunRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run plan built from option groups set by hand: no picocli, no load sent. */
class RunPlannerTest {

  private final RunOptions options = new RunOptions(new ScenarioOptions(), new LoadOptions(), new ExportOptions(),
      new OutputOptions(), new VerdictOptions(), new WebOptions(), new HttpClientOptions(), new TlsOptions(),
      new ShardOptions());

  RunPlannerTest() {
    // What picocli's defaultValues would set.
    options.load().stopTimeout = Duration.ZERO;
    options.load().warmup = Duration.ZERO;
    options.load().shutdownTimeout = Duration.ofSeconds(25);
    options.http().timeout = Duration.ofSeconds(60);
    options.http().connectTimeout = Duration.ofSeconds(10);
    options.http().maxBody = "4MB";
    options.http().acceptEncoding = HttpSession.DEFAULT_ACCEPT_ENCODING;
    options.http().httpVersion = "auto";
    options.tls().passwordVariable = TlsOptions.DEFAULT_PASSWORD_VARIABLE;
    options.shard().startTolerance = Duration.ofSeconds(2);
    options.verdict().repeat = 1;
  }

  private RunPlanner planner() {
    return new RunPlanner(options, Map.of(), Clock.systemUTC());
  }

  @Test
  void namesEveryProblemOfTheOptionsAtOnce() {
    options.load().users = 0;
    options.load().spawnRate = -1.0;
    options.load().threads = 0;
    options.export().tags = List.of("team");
    options.scenario().host = "ftp://shop";

    assertThatThrownBy(() -> planner().plan()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("give either --scenario FILE.java|CLASS or --url PATH")
        .hasMessageContaining("--host ftp://shop must be an http:// or https:// URL with a host")
        .hasMessageContaining("--users must be >= 1 but was 0")
        .hasMessageContaining("--spawn-rate must be > 0 but was -1.0")
        .hasMessageContaining("--threads must be >= 1 but was 0")
        .hasMessageContaining("--tag team must be key=value");
  }

  @Test
  void plansAUrlRunFromTheOptions() {
    options.scenario().url = "/items";
    options.scenario().host = "http://127.0.0.1:8080";
    options.load().users = 20;
    options.load().runTime = Duration.ofMinutes(5);
    options.export().runId = "r-1";

    RunPlanner.Plan plan = planner().plan();

    assertThat(plan.runId()).isEqualTo("r-1");
    assertThat(plan.description()).isEqualTo("20 users requesting /items");
    assertThat(plan.host()).isEqualTo("http://127.0.0.1:8080");
    assertThat(plan.runTime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(plan.sharded().storesShardResult()).isFalse();
  }

  @Test
  void theWebFormsLoadReplacesTheOptionsAndAnEmptyHostKeepsTheCommandLines() {
    options.scenario().url = "/items";
    options.scenario().host = "http://127.0.0.1:8080";
    options.load().users = 20;
    options.load().runTime = Duration.ofMinutes(5);

    RunPlanner.Plan plan = planner().plan(new WebRunRequest(3, 1.5, null, null));
    RunPlanner.Plan other = planner().plan(new WebRunRequest(4, 2, "https://shop.test", Duration.ofSeconds(30)));

    assertThat(plan.description()).isEqualTo("3 users requesting /items");
    assertThat(plan.host()).isEqualTo("http://127.0.0.1:8080");
    assertThat(plan.runTime()).isNull();
    assertThat(other.host()).isEqualTo("https://shop.test");
    assertThat(other.runTime()).isEqualTo(Duration.ofSeconds(30));
    // The options themselves are unchanged by a form.
    assertThat(options.load().users).isEqualTo(20);
    assertThat(options.scenario().host).isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void anOpenModelDefaultsToAHundredUsers() {
    options.scenario().url = "http://127.0.0.1:8080/items";
    options.load().arrivalRate = 50.0;

    assertThat(planner().plan().description()).isEqualTo("open model at 50.0 iterations/s on at most 100 users");
  }

  @Test
  void aShardOfSeveralNeedsARunId() {
    options.scenario().url = "http://127.0.0.1:8080/items";
    options.shard().shard = "1/3";

    assertThatThrownBy(() -> planner().plan()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--shard 1/3 needs --run-id: the shards of one run share it");
  }
}
