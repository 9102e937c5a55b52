package dev.stampede.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Shard;
import dev.stampede.cli.Stampede;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MergeCommandTest {

  @TempDir
  Path dir;

  Path runDir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @BeforeEach
  void writeShards() throws Exception {
    runDir = dir.resolve("store/run-1");
    Files.createDirectories(runDir);
    long[][] values = MergedRunTest.shardValues();
    for (int s = 0; s < 3; s++) {
      Files.write(runDir.resolve("shard-" + s + ".json"),
          ShardResults.json("run-1", new Shard(s, 3), values[s], T0, 10));
    }
  }

  int merge(String... args) {
    CommandLine commandLine = Stampede.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "merge";
    System.arraycopy(args, 0, all, 1, args.length);
    return commandLine.execute(all);
  }

  @Test
  void mergesEveryShardIntoOneResultWithTheSumOfTheirCountsAndATableOfShards() throws Exception {
    Path json = dir.resolve("merged.json");
    Path html = dir.resolve("merged.html");

    int code = merge(runDir.toString(), "--expect", "3", "--json", json.toString(), "--html", html.toString(),
        "--csv", dir.resolve("merged").toString());

    assertThat(code).as(err.toString()).isZero();
    JsonNode merged = new ObjectMapper().readTree(json.toFile());
    assertThat(merged.at("/total/count").asLong()).isEqualTo(8700);
    assertThat(merged.at("/shards")).hasSize(3);
    assertThat(merged.at("/shards/2/start_skew_ms").asDouble()).isEqualTo(6.0);
    assertThat(merged.at("/total/histogram").isTextual()).isTrue();
    assertThat(Files.readString(html)).contains("<section id=\"shards\"><h2>Shards</h2>").contains("<td>2/3</td>")
        .contains("The charts sum the shards second by second");
    // Each shard's two seconds of history, summed second by second; no percentiles per second.
    assertThat(merged.at("/history")).hasSize(2);
    assertThat(merged.at("/history/1/total_count").asLong()).isEqualTo(90);
    assertThat(merged.at("/history/1/rps").asDouble()).isEqualTo(60.0);
    assertThat(merged.at("/history/0/p50").isNull()).isTrue();
    assertThat(Files.exists(dir.resolve("merged_stats.csv"))).isTrue();
    assertThat(out.toString()).contains("Shard").contains("shard-2");
  }

  @Test
  void theMergedHistoryHasNoResponseTimesPerSecondInTheReportOrTheCsv() throws Exception {
    Path html = dir.resolve("merged.html");

    int code = merge(runDir.toString(), "--expect", "3", "-q", "--html", html.toString(),
        "--csv", dir.resolve("merged").toString());

    assertThat(code).as(err.toString()).isZero();
    // The page's data says so, and the page carries the line that says why the chart is absent.
    assertThat(Files.readString(html)).contains("\"percentiles\":false").contains("id=\"chart-rt-absent\"");
    List<String> rows = Files.readAllLines(dir.resolve("merged_stats_history.csv"));
    assertThat(rows).hasSize(3).noneMatch(row -> row.contains("NaN"));
    // Timestamp, users, type, name, rps, fps, then eleven empty percentile cells, then the two totals.
    String[] cells = rows.get(2).split(",", -1);
    assertThat(cells).hasSize(6 + 11 + 2);
    assertThat(Arrays.copyOfRange(cells, 6, 17)).containsOnly("");
    assertThat(cells[17]).isEqualTo("90");
  }

  @Test
  void aMissingShardFailsTheMergeWithExitThreeNamingIt() throws Exception {
    Files.delete(runDir.resolve("shard-1.json"));

    assertThat(merge(runDir.toString(), "--expect", "3", "-q")).isEqualTo(3);
    assertThat(err.toString()).startsWith("stampede: 1 of 3 shards are missing in " + runDir + ": shard [1]"
        + " (--allow-missing merges the others)");
  }

  @Test
  void allowMissingMergesTheOthersAndSaysSo() throws Exception {
    Files.delete(runDir.resolve("shard-1.json"));
    Path json = dir.resolve("merged.json");

    assertThat(merge(runDir.toString(), "--expect", "3", "-q", "--allow-missing", "--json", json.toString())).isZero();
    assertThat(err.toString()).contains("merged 2 of 3 shards; missing: shard [1]");
    assertThat(new ObjectMapper().readTree(json.toFile()).at("/missing_shards/0").asInt()).isEqualTo(1);
  }

  @Test
  void judgesTheKpisOnTheMergedResult() throws Exception {
    Path kpis = dir.resolve("kpis.yaml");
    Files.writeString(kpis, "kpis:\n  total: { count: 8700, p50: 1 }\n");
    Path junit = dir.resolve("junit.xml");

    assertThat(merge(runDir.toString(), "--expect", "3", "-q", "--kpi", kpis.toString(), "--junit", junit.toString()))
        .isEqualTo(1);
    assertThat(out.toString()).contains("total p50 FAILED");
    assertThat(Files.readString(junit)).contains("<failure");
  }

  @Test
  void aShardOfAnotherShardCountIsRefused() throws Exception {
    assertThat(merge(runDir.toString(), "--expect", "2", "-q")).isEqualTo(2);
    assertThat(err.toString()).contains("--expect 2 but " + runDir + " holds [shard-2.json]");
  }
}
