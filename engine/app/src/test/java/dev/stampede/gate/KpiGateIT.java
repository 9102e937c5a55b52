package dev.stampede.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.http.HttpSession;
import dev.stampede.kpi.KpiFile;
import dev.stampede.result.RunResultFile;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KPI gate on a real load test against a loopback server whose endpoint takes ~20 ms. */
class KpiGateIT {

  /** How long the target takes to answer, so that a 5 ms KPI must fail and a 5 s one must pass. */
  static final long SERVICE_TIME_MS = 20;

  @TempDir Path dir;
  HttpServer server;
  ExecutorService executor;
  String host;
  final StringWriter out = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/slow", exchange -> {
      try {
        Thread.sleep(SERVICE_TIME_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(body);
      }
    });
    server.start();
    host = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  KpiGate gate(String yaml) throws Exception {
    Path file = dir.resolve("kpis.yaml");
    Files.writeString(file, yaml);
    return new KpiGate(KpiFile.load(file, new YAMLFactory()), Clock.systemUTC());
  }

  LoadTest.Builder load(Duration runTime) {
    return LoadTest.builder().host(host).url("/slow").users(4).spawnRate(4).runTime(runTime)
        .runId("kpi-it")
        .httpFactory((base, sink) -> HttpSession.builder().baseUrl(URI.create(base)).sink(sink)
            .objectMapper(new ObjectMapper()).build());
  }

  @Test
  void aTightKpiFailsTheRunWithExitOneNamingIt() throws Exception {
    KpiGate gate = gate("kpis:\n  \"GET /slow\": { p95: 5 }\n");
    RunOutcome outcome = load(Duration.ofSeconds(2)).build().run();

    Path junit = dir.resolve("kpi.xml");
    int code = gate.judge(RunResultFile.fromSummary(outcome.summary()), new PrintWriter(out, true),
        junit, "kpi-it");

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("GET /slow p95 FAILED: GET /slow p95 = ");
    assertThat(Files.readString(junit)).contains("<failure");
  }

  @Test
  void aGenerousKpiPassesWithExitZero() throws Exception {
    KpiGate gate = gate("kpis:\n  /slow: { p95: 5000, error_rate: 0, count: 1 }\n");
    RunOutcome outcome = load(Duration.ofSeconds(2)).build().run();

    int code = gate.judge(RunResultFile.fromSummary(outcome.summary()), new PrintWriter(out, true),
        null, "kpi-it");

    assertThat(code).as(out.toString()).isZero();
  }

  @Test
  void abortOnFailStopsTheRunOnceAKpiIsLost() throws Exception {
    KpiGate gate = gate("abort_on_fail: { delay: 1s }\nkpis:\n  \"GET /slow\": { p95: 5 }\n");
    AbortOnFailCheck check = gate.abortOnFailCheck();
    // A run time far beyond the abort: the outcome says whether the abort ended it.
    LoadTest test = load(Duration.ofSeconds(60)).build();
    test.onTick(snapshot -> {
      List<Verdict> lost = check.check(RunResultFile.fromSnapshot(snapshot),
          Duration.ofMillis(Math.round(snapshot.elapsedSeconds() * 1000)));
      if (!lost.isEmpty()) {
        test.abort(lost.get(0).message());
      }
    });

    RunOutcome outcome = test.run();

    assertThat(outcome.aborted()).startsWith("GET /slow p95 FAILED");
    assertThat(gate.judge(RunResultFile.fromSummary(outcome.summary()),
        new PrintWriter(out, true), null, "kpi-it")).isEqualTo(1);
  }
}
