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
import dev.stampede.engine.RunOutcome;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.stats.RunHistograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
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
    Histogram micros = new Histogram(EndpointHistogram.SIGNIFICANT_DIGITS);
    micros.recordValue(1_000);
    micros.recordValue(80_000);
    RunHistograms histograms = new RunHistograms(List.of(
        new EndpointHistogram("GET", "/x", micros, 100, 5, 2000, 1_500_000_000L),
        EndpointHistogram.empty("POST", "/idle")),
        new EndpointHistogram("", EndpointStats.TOTAL_NAME, micros.copy(), 100, 5, 2000, 1_500_000_000L));
    RunOutcome outcome = new RunOutcome(summary,
        List.of(new ListenerDelivery("prometheus", 100, 0, 1, new ExportReport(1, Map.of("scrapes", 4L)))),
        List.of(new HistoryPoint(1_795_424_406_000L, 1, 12, 10.5, 0.5, new Percentiles(p), 11, 1)),
        Map.of("checkout", 2L), false, null, histograms);
    // A merged result: the only kind with every field (shards and missing_shards are the merge's).
    return RunResultFile.fromOutcome(outcome, RunResultFile.ShardPart.WHOLE).merged(
        List.of(new RunResultFile.MergedShard(0, "vm-1", 100, 5, 1.5, "runs/golden/shard-0.json")), List.of(1));
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

  @Test
  void readsAnOldResultWithoutHistogramsAsFormatVersion1AndWritesNoHistogramBack() {
    // demo-result.json was written before format version 2: no format_version, no shard, no histograms.
    RunResultFile old = ResultJson.read(Results.resource("demo-result.json"));

    assertThat(old.formatVersion()).isEqualTo(1);
    assertThat(old.shard()).isNull();
    assertThat(old.histograms()).isEqualTo(RunHistograms.NONE);
    assertThat(old.total().raw()).isNull();
    assertThat(ResultJson.toJson(old)).contains("\"format_version\" : 1").doesNotContain("histogram")
        .doesNotContain("\"shard\"").doesNotContain("bytes_total");
  }

  @Test
  void carriesEveryEndpointsHistogramAndRawCountersThroughTheFileExactly() {
    RunOutcome outcome = outcome();
    RunResultFile written = RunResultFile.fromOutcome(outcome, new RunResultFile.ShardPart(1, 3,
        Instant.parse("2026-11-23T09:00:00Z"), 2.5));

    RunResultFile read = ResultJson.read(ResultJson.toBytes(written), "result in memory");

    assertThat(read).isEqualTo(written);
    assertThat(read.formatVersion()).isEqualTo(RunResultFile.FORMAT_VERSION);
    assertThat(read.shard()).isEqualTo(new RunResultFile.ShardPart(1, 3, Instant.parse("2026-11-23T09:00:00Z"), 2.5));
    RunHistograms histograms = read.histograms();
    EndpointHistogram x = histograms.endpoints().get(0);
    EndpointHistogram original = outcome.histograms().endpoints().get(0);
    assertThat(x.micros()).isEqualTo(original.micros());
    assertThat(x.micros().getTotalCount()).isEqualTo(4);
    assertThat(x.micros().getValueAtPercentile(99)).isEqualTo(original.micros().getValueAtPercentile(99));
    assertThat(x).extracting(EndpointHistogram::count, EndpointHistogram::failures, EndpointHistogram::bytes,
        EndpointHistogram::responseTimeSumNanos).containsExactly(4L, 1L, 400L, 10_000_000L);
    assertThat(histograms.total().micros()).isEqualTo(outcome.histograms().total().micros());
  }

  @Test
  void reportsABadHistogramAndAShardThatIsNotAnObjectAtTheirPaths() throws Exception {
    String json = ResultJson.toJson(RunResultFile.fromOutcome(outcome(), RunResultFile.ShardPart.WHOLE))
        .replaceFirst("\"bytes_total\" : 400", "\"bytes_total\" : \"lots\"")
        .replace("\"shard\" : {", "\"shard\" : 7, \"was_shard\" : {");

    assertThatThrownBy(() -> ResultJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "shard.json"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("endpoints.\"GET /x\".bytes_total must be a whole number >= 0 but was the text \"lots\"")
        .hasMessageContaining("shard must be an object but was the number 7");
  }

  @Test
  void keepsASecondWithoutRequestsWithoutResponseTimesThroughTheFile() {
    RunOutcome withIdleSecond = new RunOutcome(outcome().summary(), List.of(),
        List.of(new HistoryPoint(1_795_424_406_000L, 1, 3, 0, 0, new Percentiles(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 0, 0)),
        Map.of(), false, null, outcome().histograms());
    String json = ResultJson.toJson(RunResultFile.fromOutcome(withIdleSecond, RunResultFile.ShardPart.WHOLE));

    RunResultFile.HistoryRow row = ResultJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "idle").history().get(0);

    assertThat(json).contains("\"p50\" : null");
    assertThat(row.p50()).isNaN();
    assertThat(row.toPoint().percentiles().at(99)).isNaN();
    assertThat(row.users()).isEqualTo(3);
  }

  /** A run with known response times on GET /x: 1, 2, 3 and 4 ms, one failed, 100 bytes each. */
  static RunOutcome outcome() {
    Histogram micros = new Histogram(EndpointHistogram.SIGNIFICANT_DIGITS);
    for (long ms = 1; ms <= 4; ms++) {
      micros.recordValue(ms * 1000);
    }
    EndpointHistogram x = new EndpointHistogram("GET", "/x", micros, 4, 1, 400, 10_000_000);
    EndpointHistogram total = new EndpointHistogram("", EndpointStats.TOTAL_NAME, micros.copy(), 4, 1, 400, 10_000_000);
    RunInfo run = new RunInfo("hist", "shard-1", "http://127.0.0.1:1", "s", Map.of(), Instant.parse("2026-11-23T09:00:00Z"));
    Summary summary = new Summary(run, run.startedAt(), java.time.Duration.ofSeconds(2), 3, List.of(x.toStats(2)),
        total.toStats(2), List.of(), 0);
    return new RunOutcome(summary, List.of(), List.of(), Map.of(), false, null, new RunHistograms(List.of(x), total));
  }
}
