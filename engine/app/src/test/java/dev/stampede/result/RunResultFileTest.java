package dev.stampede.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunResultFileTest {

  @TempDir Path dir;

  @Test
  void readsEveryFieldOfTheDocumentedShape() {
    RunResultFile r = ResultJson.read(Results.resource("result-sample.json"));

    assertThat(r.runId()).isEqualTo("ci-42");
    assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-11-23T09:15:00Z"));
    assertThat(r.durationSeconds()).isEqualTo(30.0);
    assertThat(r.users()).isEqualTo(20);
    assertThat(r.endpoints()).containsOnlyKeys("GET /friend-service/v1/users",
        "POST /friend-service/v1/users", "POST /friend-service/v1/friends");
    RunResultFile.EndpointResult get = r.endpoints().get("GET /friend-service/v1/users");
    assertThat(get.method()).isEqualTo("GET");
    assertThat(get.name()).isEqualTo("/friend-service/v1/users");
    assertThat(get.count()).isEqualTo(5400);
    assertThat(get.failures()).isEqualTo(3);
    assertThat(get.rps()).isEqualTo(180.0);
    assertThat(get.mean()).isEqualTo(22.4);
    assertThat(get.min()).isEqualTo(1.1);
    assertThat(get.max()).isEqualTo(412.0);
    assertThat(get.percentiles().values())
        .containsExactly(18, 21, 24, 26, 34, 45, 70, 95, 300, 412, 412);
    assertThat(get.bytesMean()).isEqualTo(1830.5);
    assertThat(r.total().count()).isEqualTo(10800);
    assertThat(r.total().percentile(99.9)).isEqualTo(420.0);
    assertThat(r.droppedIterations()).isZero();
    assertThat(r.listeners()).containsEntry("prometheus",
        new RunResultFile.ListenerCounts(10800, 0, 0));
  }

  @Test
  void readsTheFileStampedeRunWritesIgnoringFieldsItDoesNotNeed() {
    // A real result of ./stampede demo (10 s), with host, tags, failures and task_errors besides.
    RunResultFile r = ResultJson.read(Results.resource("demo-result.json"));

    assertThat(r.runId()).isEqualTo("795e2ab9");
    assertThat(r.endpoints()).containsKey("POST /friend-service/v1/friends");
    assertThat(r.endpoints().get("POST /friend-service/v1/friends").percentile(95)).isEqualTo(36.159);
    assertThat(r.total().count()).isEqualTo(186);
  }

  @Test
  void writesWhatItReads() {
    RunResultFile original = ResultJson.read(Results.resource("result-sample.json"));
    Path copy = dir.resolve("sub/copy.json");

    ResultJson.write(copy, original);

    assertThat(ResultJson.read(copy)).isEqualTo(original);
  }

  @Test
  void readsEmptyStatisticsOfAnEndpointWithoutRequestsAsNaN() throws Exception {
    String json = Files.readString(Results.resource("result-sample.json"))
        .replace("\"mean\": 23.0", "\"mean\": null").replace("\"p50\": 19.0", "\"p50\": \"NaN\"");
    Path file = dir.resolve("nan.json");
    Files.writeString(file, json);

    RunResultFile r = ResultJson.read(file);

    assertThat(r.total().mean()).isNaN();
    assertThat(r.total().percentile(50)).isNaN();
  }

  @Test
  void buildsTheSameModelFromALiveSnapshot() {
    double[] p = {10, 11, 12, 13, 20, 30, 40, 50, 60, 70, 80};
    EndpointStats x = new EndpointStats("GET", "/x", 100, 5, 10, 12, 0.5, 15, 1, 80, 2000,
        new Percentiles(p));
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 100, 5, 10, 12, 0.5, 15,
        1, 80, 2000, new Percentiles(p));
    RunInfo run = new RunInfo("live", "i-1", "http://127.0.0.1", "s", Map.of(),
        Instant.parse("2026-11-23T09:00:00Z"));
    Snapshot snapshot = new Snapshot(0, 12.5, 8, total, List.of(x), 0, 0, 0, 0, 0);

    RunResultFile r = RunResultFile.fromSnapshot(run, snapshot);

    assertThat(r.durationSeconds()).isEqualTo(12.5);
    assertThat(r.users()).isEqualTo(8);
    assertThat(r.endpoints().get("GET /x").percentile(95)).isEqualTo(30);
    assertThat(r.endpoints().get("GET /x").errorRate()).isEqualTo(5.0);
    assertThat(r.endpoints().get("GET /x").bytesMean()).isEqualTo(20.0);
  }

  @Test
  void buildsTheSameModelFromAFinishedRunsSummary() {
    double[] p = {10, 11, 12, 13, 20, 30, 40, 50, 60, 70, 80};
    EndpointStats x = new EndpointStats("POST", "/y", 40, 4, 2, 0, 0, 15, 1, 80, 400,
        new Percentiles(p));
    RunInfo run = new RunInfo("done", "i-1", "http://127.0.0.1", "s", Map.of(),
        Instant.parse("2026-11-23T09:00:00Z"));
    Summary summary = new Summary(run, run.startedAt(), java.time.Duration.ofMillis(20_500), 12, List.of(x), x,
        List.of(), 3);

    RunResultFile r = RunResultFile.fromSummary(summary);

    assertThat(r.runId()).isEqualTo("done");
    assertThat(r.durationSeconds()).isEqualTo(20.5);
    assertThat(r.users()).isEqualTo(12);
    assertThat(r.droppedIterations()).isEqualTo(3);
    assertThat(r.endpoints()).containsOnlyKeys("POST /y");
    assertThat(r.endpoints().get("POST /y").percentile(99.9)).isEqualTo(60);
    assertThat(RunResultFile.fromSnapshot(new Snapshot(1_000_000, 10, 2, x, List.of(x), 0, 0, 0, 0, 0))
        .startedAt()).isEqualTo(Instant.ofEpochMilli(990_000));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"run_id\": \"x\",",
      "[1, 2, 3]",
      "{\"run_id\": \"a\", \"run_id\": \"b\"}",
      "\"just text\""})
  void rejectsAMalformedFileWithOneLine(String content) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, content);

    assertThatThrownBy(() -> ResultJson.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("result file " + file)
        .hasMessageNotContaining("\n");
  }

  @Test
  void rejectsAnEmptyFile() throws Exception {
    Path file = dir.resolve("empty.json");
    Files.writeString(file, "  \n");

    assertThatThrownBy(() -> ResultJson.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("result file " + file + " is empty");
  }

  @Test
  void rejectsAMissingFile() {
    Path file = dir.resolve("nope.json");

    assertThatThrownBy(() -> ResultJson.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("result file " + file + " does not exist");
  }

  @Test
  void reportsEveryBadFieldAtOnceNamingItsPath() throws Exception {
    String json = Files.readString(Results.resource("result-sample.json"))
        .replace("\"count\": 5400", "\"count\": \"many\"")
        .replace("\"p95\": 61.0", "\"p95\": -1")
        .replace("\"started_at\": \"2026-11-23T09:15:00Z\"", "\"started_at\": \"yesterday\"")
        .replace("\"count\": 2700, \"failures\": 27", "\"count\": 2700, \"failures\": 2701");
    Path file = dir.resolve("fields.json");
    Files.writeString(file, json);

    assertThatThrownBy(() -> ResultJson.read(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
            .contains("endpoints.\"GET /friend-service/v1/users\".count must be a whole number >= 0"
                + " but was the text \"many\"")
            .contains("endpoints.\"POST /friend-service/v1/users\".p95 must be a number >= 0")
            .contains("started_at must be an ISO-8601 time")
            .contains("endpoints.\"POST /friend-service/v1/friends\".failures must be <= count")
            .doesNotContain("\n"));
  }

  @Test
  void rejectsAFileWithoutTotal() throws Exception {
    Path file = dir.resolve("nototal.json");
    Files.writeString(file, "{\"run_id\":\"r\",\"started_at\":\"2026-11-23T09:15:00Z\","
        + "\"duration_s\":1,\"users\":1,\"endpoints\":{}}");

    assertThatThrownBy(() -> ResultJson.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("result file " + file + ": total must be an object of statistics but was missing");
  }

  /** A finished run with every field of the schema set, nothing random. */
  static RunResultFile everyField() {
    double[] p = {10.00049, 11, 12, 13, 20, 30, 40, 50, 60, 70, 80};
    EndpointStats x = new EndpointStats("GET", "/x", 100, 5, 10.1234, 12, 0.5, 15.0004, 1, 80, 2000,
        new Percentiles(p));
    EndpointStats idle = new EndpointStats("POST", "/idle", 0, 0, 0, 0, 0, Double.NaN, Double.NaN,
        Double.NaN, 0, new Percentiles(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN}));
    RunInfo run = new RunInfo("golden", "vm-1", "http://127.0.0.1:8080", "Shop", Map.of("team", "perf"),
        Instant.parse("2026-11-23T09:00:00Z"));
    Summary summary = new Summary(run, Instant.parse("2026-11-23T09:00:05Z"),
        java.time.Duration.ofMillis(20_500), 12, List.of(x, idle), x,
        List.of(new FailureStats("GET", "/x", "HTTP 500", 5, 1_795_424_405_000L, 1_795_424_420_000L)), 3, 2);
    return RunResultFile.fromSummary(summary,
        List.of(new ListenerDelivery("prometheus", 100, 0, 1, new ExportReport(1, Map.of("scrapes", 4L)))),
        Map.of("checkout", 2L));
  }

  @Test
  void writesTheGoldenFileByteForByte() throws Exception {
    String golden = Files.readString(Results.resource("golden-result.json"));

    assertThat(ResultJson.toJson(everyField())).isEqualToIgnoringNewLines(golden.strip());
  }

  @Test
  void readsBackEveryFieldItWrites() {
    RunResultFile written = everyField();
    Path file = dir.resolve("every.json");

    ResultJson.write(file, written);
    RunResultFile read = ResultJson.read(file);

    assertThat(ResultJson.toJson(read)).isEqualTo(ResultJson.toJson(written));
    assertThat(read.endpoints()).isEqualTo(written.endpoints());
    assertThat(read.endpoints().get("POST /idle").mean()).isNaN();
    assertThat(read.finishedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:25.500Z"));
  }
}
