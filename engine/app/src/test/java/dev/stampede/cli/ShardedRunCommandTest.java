package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.engine.TestServer;
import dev.stampede.result.ResultJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ShardedRunCommandTest {

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

  @Test
  void aLateShardExitsWithItsOwnCodeAndSendsNoLoad() throws Exception {
    try (TestServer server = new TestServer()) {
      int code = run("run", "--url", "/ok", "--host", server.baseUrl(), "--shard", "1/3", "--run-id", "late",
          "--start-at", Instant.now().minusSeconds(30).toString(), "-t", "1s", "-q");

      assertThat(code).as(err.toString()).isEqualTo(ExitCode.LATE_START).isEqualTo(4);
      assertThat(err.toString()).startsWith("stampede: shard 1/3 was ready 30.");
      assertThat(server.served()).isZero();
    }
  }

  @Test
  void aShardWritesItsResultWithShardSkewAndHistogramsOnceToTheResultsDirectory() throws Exception {
    try (TestServer server = new TestServer()) {
      Path json = dir.resolve("shard.json");
      // A start the cold test JVM may miss: the tolerance lets it join late, with its skew recorded.
      String start = Instant.now().plusMillis(1500).toString();
      String[] args = {"run", "--url", "/ok", "--host", server.baseUrl(), "--users", "3", "--spawn-rate", "100", "--shard", "0/2",
          "--run-id", "r1", "--start-at", start, "--start-tolerance", "60s", "-t", "3s", "-q", "--json", json.toString(),
          "--results-dir", dir.resolve("store").toString(), "--hdr-log", dir.resolve("run.hlog").toString()};

      assertThat(run(args)).as(err.toString()).isZero();

      JsonNode result = new ObjectMapper().readTree(json.toFile());
      assertThat(result.get("format_version").asInt()).isEqualTo(2);
      assertThat(result.get("instance").asText()).isEqualTo("shard-0");
      assertThat(result.get("users").asInt()).isEqualTo(2);
      assertThat(result.at("/shard/index").asInt()).isZero();
      assertThat(result.at("/shard/count").asInt()).isEqualTo(2);
      assertThat(result.at("/shard/start_at").asText()).isEqualTo(start);
      assertThat(result.at("/shard/start_skew_ms").asDouble()).isGreaterThanOrEqualTo(0.0);
      Histogram total = ResultJson.read(json).total().raw().micros();
      assertThat(total.getTotalCount()).isEqualTo(result.at("/total/count").asLong()).isPositive();
      assertThat(result.at("/endpoints/GET ~1ok/histogram").isTextual()).isTrue();
      assertThat(Files.readString(dir.resolve("store/r1/shard-0.json"))).contains("\"format_version\"");
      assertThat(Files.readString(dir.resolve("run.hlog"))).contains("Tag=GET_/ok,");

      // A second process with the same shard index is refused and its result is not written.
      err.getBuffer().setLength(0);
      args[java.util.Arrays.asList(args).indexOf("--start-at") + 1] = Instant.now().plusMillis(500).toString();
      args[java.util.Arrays.asList(args).indexOf("-t") + 1] = "1s";
      assertThat(run(args)).as(err.toString()).isEqualTo(ExitCode.CANNOT_RUN);
      assertThat(err.toString()).startsWith("stampede: the result of shard 0/2 of run r1 already exists in ");
    }
  }

  @Test
  void aShardNeedsTheRunsId() {
    assertThat(run("run", "--url", "/ok", "--host", "http://127.0.0.1:1", "--shard", "1/3")).isEqualTo(2);
    assertThat(err.toString()).startsWith("stampede: --shard 1/3 needs --run-id: the shards of one run share it");
  }
}
