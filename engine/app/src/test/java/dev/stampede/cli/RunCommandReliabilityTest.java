package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.engine.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A broken scenario never passes, and one odd name or one failing output loses nothing else. */
class RunCommandReliabilityTest {

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

  private Path scenario(String className, String source) throws Exception {
    Path file = dir.resolve(className + ".java");
    Files.writeString(file, source);
    return file;
  }

  @Test
  void usersThatAllThrowInTheirConstructorExitThreeWithTheExceptionAndItsLine() throws Exception {
    Path file = scenario("Boom", """
        import dev.stampede.*;
        public class Boom extends User {
          public Boom() { throw new IllegalStateException("no token"); }
          @Task void t() { http().get("/ok"); }
        }
        """);
    try (TestServer server = new TestServer()) {
      int code = run("run", "--scenario", file.toString(), "--host", server.baseUrl(), "--users", "2",
          "--spawn-rate", "100", "--run-time", "1s", "--fail-on-failures", "--quiet");

      assertThat(code).isEqualTo(ExitCode.CANNOT_RUN);
      assertThat(err.toString())
          .contains("stampede: the run cannot be judged: no user could start: Boom.<init> threw"
              + " IllegalStateException: no token at Boom.<init>(Boom.java:3)")
          .doesNotContain("is the target answering");
    }
  }

  @Test
  void aScenarioWhoseEveryTaskThrowsExitsThree() throws Exception {
    Path file = scenario("Npe", """
        import dev.stampede.*;
        public class Npe extends User {
          String token;
          protected WaitTime waitTime() { return WaitTime.constant(0.01); }
          @Task void t() { http().get("/ok?t=" + token.length()); }
        }
        """);
    try (TestServer server = new TestServer()) {
      int code = run("run", "--scenario", file.toString(), "--host", server.baseUrl(), "--users", "2",
          "--spawn-rate", "100", "--run-time", "1s", "--quiet");

      assertThat(code).isEqualTo(ExitCode.CANNOT_RUN);
      assertThat(err.toString()).contains("every task threw an exception: Npe.t threw NullPointerException")
          .contains("at Npe.t(Npe.java:5)");
    }
  }

  @Test
  void aRunThatCompletedNoRequestPassesNoKpi() throws Exception {
    Path file = scenario("Idle", """
        import dev.stampede.*;
        public class Idle extends User {
          protected WaitTime waitTime() { return WaitTime.constant(0.01); }
          @Task void nothing() { }
        }
        """);
    Path kpis = dir.resolve("kpis.yaml");
    Files.writeString(kpis, "kpis:\n  total: { error_rate: 0 }\n");
    int code = run("run", "--scenario", file.toString(), "--host", "http://127.0.0.1:1", "--run-time", "500ms",
        "--kpi", kpis.toString(), "--quiet");

    assertThat(code).isEqualTo(ExitCode.CANNOT_RUN);
    assertThat(err.toString()).contains("stampede: FAILED: nothing was measured: no request completed, so no KPI can pass");
  }

  @Test
  void aLoneSurrogateInANameReachesEveryOutputAsTheReplacementCharacter() throws Exception {
    Path file = scenario("Odd", """
        import dev.stampede.*;
        public class Odd extends User {
          protected WaitTime waitTime() { return WaitTime.constant(0.01); }
          @Task void t() { http().get("/ok", o -> o.name("lone\\uD800surrogate")); }
        }
        """);
    Path json = dir.resolve("odd.json");
    Path requests = dir.resolve("requests.csv");
    Path html = dir.resolve("odd.html");
    try (TestServer server = new TestServer()) {
      int code = run("run", "--scenario", file.toString(), "--host", server.baseUrl(), "--users", "1",
          "--run-time", "1s", "--stop-timeout", "30s", "--json", json.toString(), "--csv",
          dir.resolve("odd").toString(), "--html", html.toString(), "--requests-log", requests.toString());

      assertThat(code).as(err.toString()).isZero();
    }
    String name = "lone\uFFFDsurrogate";
    assertThat(out.toString()).contains("Response time percentiles").contains("GET " + name);
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertThat(result.get("endpoints").has("GET " + name)).isTrue();
    assertThat(Files.readString(dir.resolve("odd_stats.csv"), StandardCharsets.UTF_8)).contains("GET," + name + ",");
    assertThat(Files.readString(html, StandardCharsets.UTF_8)).contains(name);
    assertThat(Files.readAllLines(requests, StandardCharsets.UTF_8)).hasSize(
        (int) result.get("total").get("count").asLong() + 1).allMatch(l -> l.startsWith("timestamp") || l.contains(name));
    assertThat(result.get("listeners").get("requests-log").get("failed").asLong()).isZero();
  }

  @Test
  void anOutputThatCannotBeWrittenIsReportedAndTheOthersAndTheTablesStillFollow() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    Path json = dir.resolve("ok.json");
    Path html = dir.resolve("ok.html");
    try (TestServer server = new TestServer()) {
      int code = run("run", "--url", "/ok", "--host", server.baseUrl(), "--run-time", "500ms", "--stop-timeout", "30s",
          "--csv", notADirectory.resolve("sub/run").toString(), "--json", json.toString(), "--html", html.toString());

      assertThat(code).isEqualTo(ExitCode.USAGE);
    }
    assertThat(err.toString()).contains("stampede: cannot write --csv " + notADirectory.resolve("sub/run"));
    assertThat(out.toString()).contains("Response time percentiles");
    assertThat(json).exists();
    assertThat(html).exists();
  }

  @Test
  void aRequestsLogOfARunKilledWithSigkillIsValidUpToItsLastRow() throws Exception {
    Path requests = dir.resolve("killed.csv");
    try (TestServer server = new TestServer()) {
      String javaBinary = ProcessHandle.current().info().command().orElseThrow();
      Process process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
          Stampede.class.getName(), "run", "--url", "/ok", "--host", server.baseUrl(), "--users", "4", "--run-time", "2m",
          "--requests-log", requests.toString(), "--quiet")
          .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
      try {
        // Several flushes' worth of rows, so that the kill lands after the log wrote some of them.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
            .until(() -> Files.exists(requests) && Files.size(requests) > 3 * 64 * 1024);
      } finally {
        process.destroyForcibly();
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }
      assertThat(process.exitValue()).isEqualTo(137);
    }
    String log = Files.readString(requests, StandardCharsets.UTF_8);
    assertThat(log).endsWith("\n");
    assertThat(log.lines().skip(1)).hasSizeGreaterThan(1000)
        .allMatch(row -> row.matches("\\d{4}-\\d\\d-\\d\\dT[^,]+Z,GET,/ok,\\d+\\.\\d{3},\\d+,200,"), "a whole row");
  }

  @Test
  void aTerminatedRunWhoseStopHangsExitsWithinTheShutdownTimeout() throws Exception {
    Path file = scenario("Hang", """
        import dev.stampede.*;
        public class Hang extends User {
          protected WaitTime waitTime() { return WaitTime.constant(0.01); }
          @Task void t() { http().get("/ok"); }
          public static class StopHangs implements Hooks {
            public void register(Events events) {
              events.onTestStop(summary -> {
                while (true) {
                  try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                }
              });
            }
          }
        }
        """);
    Path output = dir.resolve("out.txt");
    try (TestServer server = new TestServer()) {
      String javaBinary = ProcessHandle.current().info().command().orElseThrow();
      Process process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
          Stampede.class.getName(), "run", "--scenario", file.toString(), "--host", server.baseUrl(), "--run-time", "2m",
          "--shutdown-timeout", "2s", "--quiet")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(() -> server.served() >= 20);
        process.destroy();
        // The bound is 2 s; a stop that waited for the hanging hook would last until this wait gives up.
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      } finally {
        process.destroyForcibly();
      }
      assertThat(process.exitValue()).isEqualTo(ExitCode.TERMINATED);
    }
    assertThat(Files.readString(output)).contains(
        "stampede: the graceful stop did not finish within 2s (--shutdown-timeout); exiting without the rest of it");
  }

  @Test
  void refusesToServeTheWebPageOnAllInterfacesWithoutAuth() {
    int code = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--web", "--web-host", "0.0.0.0", "--web-port", "0"));

    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).startsWith("stampede: --web-host 0.0.0.0 serves the page beyond this machine");
  }

  @Test
  void aJvmWithoutTheCarrierHookWarnsOnceThatUsersFallBackToTheJdksScheduler() throws Exception {
    Path output = dir.resolve("fallback.txt");
    try (TestServer server = new TestServer()) {
      String javaBinary = ProcessHandle.current().info().command().orElseThrow();
      // No --add-opens java.base/java.lang: the JDK's hook for carrier threads is closed.
      Process process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
          Stampede.class.getName(), "run", "--url", "/ok", "--host", server.baseUrl(), "--run-time", "300ms",
          "--repeat", "2", "--max-cv", "1000", "--quiet")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try {
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      } finally {
        process.destroyForcibly();
      }
    }
    String text = Files.readString(output);
    assertThat(text.split("users run on the JDK's scheduler, not on carrier loops", -1)).as(text).hasSize(2);
    assertThat(text).contains("--add-opens java.base/java.lang=ALL-UNNAMED");
  }

  @Test
  void ctrlCWhileAShardWaitsForItsStartInstantExitsAtOnceWithTheInterruptedCode() throws Exception {
    // A JVM started with SIGINT ignored (a background job of a shell without job control) passes that
    // on to its children, whose JVM then installs no handler: there is no Ctrl-C to test.
    org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process tree");
    Path output = dir.resolve("start-at.txt");
    java.time.Instant startAt = java.time.Instant.now().plus(java.time.Duration.ofMinutes(10))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    try (TestServer server = new TestServer()) {
      String javaBinary = ProcessHandle.current().info().command().orElseThrow();
      Process process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
          Stampede.class.getName(), "run", "--url", "/ok", "--host", server.baseUrl(), "--run-time", "2s",
          "--start-at", startAt.toString(), "--shutdown-timeout", "20s")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try {
        // The start line comes once the run is built, just before it waits at the gate.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
            .until(() -> Files.readString(output).contains("Stampede run "));
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        // Not 10 minutes (the instant), nor the 20 s --shutdown-timeout that a wait ignoring Ctrl-C would use up.
        assertThat(process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      } finally {
        process.destroyForcibly();
      }
      assertThat(process.exitValue()).isEqualTo(ExitCode.INTERRUPTED);
      assertThat(server.served()).isZero();
    }
    assertThat(Files.readString(output))
        .contains("stampede: interrupted while shard 0/1 waited for the start instant " + startAt + "; no load was sent")
        .doesNotContain("did not finish within");
  }

  /** Whether this process ignores SIGINT (bit 1 of SigIgn in /proc/self/status), which its children inherit. */
  private static boolean sigintIgnored() throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    return Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
        .anyMatch(line -> (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0);
  }
}
