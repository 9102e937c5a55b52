package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.engine.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

  @TempDir
  Path dir;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Stampede.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(out, true));
    return commandLine.execute(args);
  }

  private String errorLine() {
    List<String> lines = err.toString().lines().toList();
    assertThat(lines).isNotEmpty();
    assertThat(err.toString()).doesNotContain("\tat ");
    return lines.get(0);
  }

  @Test
  void rejectsNegativeUsersWithOneLineAndExitTwo() {
    assertThat(run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--users", "-3")).isEqualTo(2);
    assertThat(errorLine()).isEqualTo("stampede: --users must be >= 1 but was -3");
  }

  @Test
  void rejectsZeroThreadsWithOneLineAndExitTwo() {
    assertThat(run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--threads", "0")).isEqualTo(2);
    assertThat(errorLine()).isEqualTo("stampede: --threads must be >= 1 but was 0");
  }

  @Test
  void rejectsABadMaxBodySizeWithOneLineAndExitTwo() {
    assertThat(run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--max-body", "lots")).isEqualTo(2);
    assertThat(errorLine()).isEqualTo("stampede: --max-body must be a size such as 512KB, 4MB or 1048576 but was lots");
  }

  @Test
  void rejectsABadDuration() {
    assertThat(run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--run-time", "ten")).isEqualTo(2);
    assertThat(errorLine()).contains("--run-time").contains("'ten' must be a duration like 500ms, 30s, 5m, 1h");
  }

  @Test
  void rejectsAnUnknownOption() {
    assertThat(run("run", "--url", "/", "--usrs", "3")).isEqualTo(2);
    assertThat(errorLine()).startsWith("stampede: Unknown option").contains("'--usrs'");
  }

  @Test
  void requiresAScenarioOrAUrl() {
    assertThat(run("run", "--host", "http://127.0.0.1:1")).isEqualTo(2);
    assertThat(errorLine()).isEqualTo("stampede: give either --scenario FILE.java|CLASS or --url PATH");
  }

  @Test
  void reportsAMissingScenarioFile() {
    assertThat(run("run", "--scenario", dir.resolve("Nope.java").toString(), "--host", "http://127.0.0.1:1")).isEqualTo(2);
    assertThat(errorLine()).startsWith("stampede: scenario file ").endsWith("Nope.java does not exist");
  }

  @Test
  void reportsAScenarioThatDoesNotCompileWithExitThree() throws Exception {
    Path file = dir.resolve("Broken.java");
    Files.writeString(file, "import dev.stampede.*;\npublic class Broken extends User {\n  @Task void t() { int x = \"s\"; }\n}\n");
    assertThat(run("run", "--scenario", file.toString(), "--host", "http://127.0.0.1:1")).isEqualTo(3);
    assertThat(errorLine()).startsWith("stampede: scenario " + file + " does not compile: line 3: incompatible types");
  }

  @Test
  void aScenarioWithAWronglyOrderedTaskSetIsRefusedWithOneLineAndExitTwoBeforeAnyRequest() throws Exception {
    Path file = dir.resolve("Checkout.java");
    Files.writeString(file, """
        import dev.stampede.*;
        public class Checkout extends User {
          @Task void buy() { run(new Steps()); }
          static class Steps extends SequentialTaskSet {
            @Task(order = 1) void cart() { http().get("/ok"); }
            @Task void pay() { http().get("/ok"); }
          }
        }
        """);
    try (TestServer server = new TestServer()) {
      int code = run("run", "--scenario", file.toString(), "--host", server.baseUrl(), "--run-time", "2s");

      assertThat(code).isEqualTo(2);
      assertThat(errorLine()).isEqualTo("stampede: scenario Checkout: @Task order must be given to every task of"
          + " Checkout$Steps or to none; with an order: cart; without: pay");
      assertThat(err.toString().lines()).hasSize(1);
      assertThat(server.served()).isZero();
    }
  }

  @Test
  void rejectsAnUnknownListenerAndUnknownKeysTogether() {
    assertThat(run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--listener", "nosuch", "--set", "bogus.key=1"))
        .isEqualTo(2);
    assertThat(errorLine()).contains("unknown key bogus.key").contains("unknown listener nosuch");
  }

  @Test
  void rejectsAHostThatIsNotAUrl() {
    assertThat(run("run", "--url", "/", "--host", "127.0.0.1:8080")).isEqualTo(2);
    assertThat(errorLine()).isEqualTo("stampede: --host 127.0.0.1:8080 must be an http:// or https:// URL with a host");
  }

  @Test
  void runsACompiledScenarioAndWritesTheJsonResultFieldByField() throws Exception {
    Path file = dir.resolve("Shop.java");
    Files.writeString(file, """
        import dev.stampede.*;
        public class Shop extends User {
          protected WaitTime waitTime() { return WaitTime.constant(0.005); }
          @Task(3) void ok() { http().get("/ok/" + random(1, 100), o -> o.name("/ok/[id]")); }
          @Task(1) void fail() { http().get("/fail"); }
        }
        """);
    Path json = dir.resolve("out/result.json");
    Path requests = dir.resolve("requests.csv");
    try (TestServer server = new TestServer()) {
      int code = run("run", "--scenario", file.toString(), "--host", server.baseUrl(), "--users", "4",
          "--spawn-rate", "100", "--run-time", "2s", "--json", json.toString(), "--csv", dir.resolve("shop").toString(),
          "--requests-log", requests.toString(), "--run-id", "it-42", "--tag", "team=perf", "--quiet");
      assertThat(code).isZero();

      JsonNode result = new ObjectMapper().readTree(json.toFile());
      assertThat(result.get("run_id").asText()).isEqualTo("it-42");
      assertThat(result.get("users").asInt()).isEqualTo(4);
      assertThat(result.get("duration_s").asDouble()).isBetween(1.9, 10.0);
      // No warm-up, no reset: the statistics count from the load's start, once the requests log
      // (a listener) started, and end a duration later.
      assertThat(java.time.Instant.parse(result.get("statistics_from").asText()))
          .isBetween(java.time.Instant.parse(result.get("started_at").asText()),
              java.time.Instant.parse(result.get("started_at").asText()).plusSeconds(5));
      long countedMillis = java.time.Duration.between(java.time.Instant.parse(result.get("statistics_from").asText()),
          java.time.Instant.parse(result.get("finished_at").asText())).toMillis();
      assertThat((double) countedMillis).isCloseTo(result.get("duration_s").asDouble() * 1000,
          org.assertj.core.data.Offset.offset(2.0));
      assertThat(result.get("tags").get("team").asText()).isEqualTo("perf");
      JsonNode ok = result.get("endpoints").get("GET /ok/[id]");
      JsonNode fail = result.get("endpoints").get("GET /fail");
      JsonNode total = result.get("total");
      assertThat(ok.get("failures").asLong()).isZero();
      assertThat(fail.get("failures").asLong()).isEqualTo(fail.get("count").asLong()).isPositive();
      assertThat(total.get("count").asLong()).isEqualTo(ok.get("count").asLong() + fail.get("count").asLong());
      // Requests cut off at stop reach the server but are not recorded: at most one per user.
      assertThat(server.served() - total.get("count").asLong()).isBetween(0L, 4L);
      assertThat(total.get("failures").asLong()).isEqualTo(fail.get("count").asLong());
      for (String field : List.of("method", "name", "count", "failures", "rps", "mean", "min", "max", "p50", "p66",
          "p75", "p80", "p90", "p95", "p98", "p99", "p999", "p9999", "p100", "bytes_mean")) {
        assertThat(ok.has(field)).as(field).isTrue();
      }
      assertThat(ok.get("p50").asDouble()).isBetween(ok.get("min").asDouble(), ok.get("max").asDouble());
      assertThat(ok.get("p100").asDouble()).isCloseTo(ok.get("max").asDouble(), org.assertj.core.data.Offset.offset(0.01));
      assertThat(ok.get("bytes_mean").asDouble()).isEqualTo(2.0);
      assertThat(result.get("dropped_iterations").asLong()).isZero();
      assertThat(result.get("failures").get(0).get("error").asText()).isEqualTo("HTTP 503 Service Unavailable");
      assertThat(result.get("listeners").get("requests-log").get("dropped").asLong()).isZero();

      List<String> rows = Files.readAllLines(requests);
      assertThat(rows.get(0)).isEqualTo("timestamp,method,name,response_time_ms,bytes,status,error");
      assertThat(rows).hasSize((int) total.get("count").asLong() + 1);
      assertThat(Files.readAllLines(dir.resolve("shop_stats.csv")).get(0)).startsWith("Type,Name,Request Count,Failure Count");
      assertThat(Files.readAllLines(dir.resolve("shop_stats.csv"))).anyMatch(l -> l.startsWith(",Aggregated,"));
      assertThat(Files.readAllLines(dir.resolve("shop_failures.csv")).get(1))
          .isEqualTo("GET,/fail,HTTP 503 Service Unavailable," + fail.get("count").asLong());
    }
  }

  /**
   * Lets a request in flight at the end of a short run finish and count (the default, 0, cuts it
   * off): in a cold JVM on a busy machine the first request alone can outlast a run of 300 ms.
   */
  private static final String[] FINISH_IN_FLIGHT = {"--stop-timeout", "30s"};

  private static String[] with(String[] extra, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    return all;
  }

  @Test
  void failsOnFailuresWhenAsked() {
    try (TestServer server = assertNoThrow()) {
      int code = run(with(FINISH_IN_FLIGHT, "run", "--url", "/fail", "--host", server.baseUrl(), "--users", "1",
          "--run-time", "300ms", "--fail-on-failures", "--quiet"));
      assertThat(code).isEqualTo(1);
      assertThat(errorLine()).startsWith("stampede: FAILED: ");
    }
  }

  private static TestServer assertNoThrow() {
    try {
      return new TestServer();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failsAMissedKpiWithExitOneNamingIt() throws Exception {
    Path kpis = dir.resolve("kpis.yaml");
    Files.writeString(kpis, "kpis:\n  \"GET /ok\": { p50: 0.001 }\n  total: { error_rate: 0 }\n");
    Path junitXml = dir.resolve("kpi.xml");
    try (TestServer server = new TestServer()) {
      int code = run(with(FINISH_IN_FLIGHT, "run", "--url", "/ok", "--host", server.baseUrl(), "--users", "2",
          "--run-time", "500ms", "--kpi", kpis.toString(), "--junit", junitXml.toString(), "--html",
          dir.resolve("report.html").toString(), "--quiet"));
      assertThat(code).isEqualTo(1);
      assertThat(out.toString()).contains("GET /ok").contains("p50").contains("FAIL");
      assertThat(err.toString()).contains("a KPI was missed");
      assertThat(Files.readString(junitXml)).contains("<testcase").contains("<failure");
      assertThat(Files.readString(dir.resolve("report.html"))).contains("GET /ok").contains("FAILED");
    }
  }

  @Test
  void passesGenerousKpis() throws Exception {
    Path kpis = dir.resolve("kpis.yaml");
    Files.writeString(kpis, "kpis:\n  \"GET /ok\": { percentile_90: 60000, error_rate: 0, count: 1 }\n");
    try (TestServer server = new TestServer()) {
      assertThat(run(with(FINISH_IN_FLIGHT, "run", "--url", "/ok", "--host", server.baseUrl(), "--users", "2",
          "--run-time", "500ms", "--kpi", kpis.toString(), "--quiet"))).isZero();
    }
  }

  @Test
  void rejectsAMalformedKpiFileBeforeAnyLoad() throws Exception {
    Path kpis = dir.resolve("kpis.yaml");
    Files.writeString(kpis, "kpis:\n  total: { p42.5x: 1 }\n");
    try (TestServer server = new TestServer()) {
      assertThat(run("run", "--url", "/ok", "--host", server.baseUrl(), "--run-time", "1s", "--kpi", kpis.toString()))
          .isEqualTo(2);
      assertThat(server.served()).isZero();
      assertThat(errorLine()).startsWith("stampede: ").contains("p42.5x");
    }
  }

  @Test
  void exitsThreeWithTheLastResponseWhenTheTargetNeverBecomesReady() throws Exception {
    try (TestServer server = new TestServer()) {
      // The report needs one answered poll within the wait timeout; a cold JDK client's first
      // request took 4 s on a loaded 2-core machine.
      int code = run("run", "--url", "/ok", "--host", server.baseUrl(), "--run-time", "1s",
          "--wait-for", server.baseUrl() + "/fail", "--wait-timeout", "5s");
      assertThat(code).isEqualTo(3);
      assertThat(errorLine()).contains("was not ready").contains("503");
      assertThat(server.served()).isPositive();
    }
  }

  @Test
  void repeatsRunsAndWritesTheMedianResult() throws Exception {
    Path json = dir.resolve("median.json");
    try (TestServer server = new TestServer()) {
      int code = run(with(FINISH_IN_FLIGHT, "run", "--url", "/ok", "--host", server.baseUrl(), "--users", "1",
          "--run-time", "300ms", "--repeat", "3", "--max-cv", "1000", "--json", json.toString(), "--quiet"));
      assertThat(code).isZero();
      assertThat(out.toString()).contains("conclusive: p95 varies by at most");
      assertThat(dir.resolve("median-run1.json")).exists();
      assertThat(dir.resolve("median-run3.json")).exists();
      assertThat(new ObjectMapper().readTree(json.toFile()).get("endpoints").has("GET /ok")).isTrue();
    }
  }

  @Test
  void webModeStartsRunsFromThePageWithTheCommandLineOptionsAndWritesTheirResults() throws Exception {
    Path json = dir.resolve("web.json");
    try (TestServer server = new TestServer()) {
      Thread cli = Thread.ofPlatform().start(() -> run("run", "--url", "/ok", "--host", server.baseUrl(), "--web",
          "--web-port", "0", "--json", json.toString(), "--run-id", "web-1"));
      java.util.regex.Pattern announced = java.util.regex.Pattern.compile("web page on (\\S+)");
      await("the web page announced").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> announced.matcher(out.toString()).find());
      java.util.regex.Matcher m = announced.matcher(out.toString());
      assertThat(m.find()).as(err.toString()).isTrue();
      java.net.URI page = java.net.URI.create(m.group(1));
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<String> started = client.send(java.net.http.HttpRequest.newBuilder(page.resolve("/api/start"))
          .header("X-Stampede", "1").header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("users=2&spawn_rate=2&host=&run_time=1s")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).as(started.body()).isLessThan(300);
      await("the run's results written").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(json));
      JsonNode result = new ObjectMapper().readTree(json.toFile());
      assertThat(result.get("run_id").asText()).isEqualTo("web-1");
      assertThat(result.get("total").get("count").asLong()).isPositive();
      cli.interrupt();
    }
  }

  @Test
  void aTerminatedRunStopsGracefullyAndStillWritesItsResults() throws Exception {
    Path json = dir.resolve("terminated.json");
    try (TestServer server = new TestServer()) {
      String javaBinary = ProcessHandle.current().info().command().orElseThrow();
      Process process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), Stampede.class.getName(),
          "run", "--url", "/ok", "--host", server.baseUrl(), "--users", "2", "--run-time", "2m", "--json", json.toString(),
          "--quiet").redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
      try {
        await("50 requests served").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> server.served() >= 50);
        // SIGTERM takes the same path as Ctrl-C (SIGINT, exit 130), which a test JVM may have ignored.
        process.destroy();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      } finally {
        process.destroyForcibly();
      }
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(Files.readString(dir.resolve("out.txt"))).contains("interrupted; results were flushed");
      assertThat(new ObjectMapper().readTree(json.toFile()).get("total").get("count").asLong()).isPositive();
    }
  }

  @Test
  void headlessIsTheDefaultSaidOutLoudAndRefusesTheWebPage() throws Exception {
    Path json = dir.resolve("headless.json");
    try (TestServer server = new TestServer()) {
      int code = run("run", "--headless", "--url", "/ok", "--host", server.baseUrl(), "--run-time", "300ms",
          "--json", json.toString(), "--quiet");

      assertThat(code).isZero();
      assertThat(server.served()).isPositive();
      assertThat(new ObjectMapper().readTree(json.toFile()).at("/total/count").asLong()).isPositive();
    }
    assertThat(run("run", "--headless", "--web", "--url", "/ok", "--host", "http://127.0.0.1:1", "--web-port", "0"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(errorLine()).isEqualTo("stampede: --web and --headless exclude each other");
  }

  @Test
  void theHelpSaysWhatHeadlessDoes() {
    assertThat(run("run", "--help")).isZero();

    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("--headless Runs without the web page: the default, so it changes nothing; kept for scripts"
            + " written for Locust, where it turns the web UI off. Refused with --web (exit 2).");
  }
}
