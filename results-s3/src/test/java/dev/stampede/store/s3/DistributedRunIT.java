package dev.stampede.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Percentiles;
import dev.stampede.cli.Stampede;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A distributed run as Kubernetes would start it, on one machine: three shard processes with
 * {@code JOB_COMPLETION_INDEX=0..2} and {@code STAMPEDE_SHARDS=3}, one start instant and the ready
 * barrier, against a loopback nginx, writing to s3proxy; then {@code stampede merge} over the
 * bucket. The merged counts must be the shards' sum and its percentiles those of every request the
 * shards logged (to HdrHistogram's precision); a late shard, a second writer and a missing shard
 * must each fail in their documented way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedRunIT {

  static final String NGINX = "/usr/sbin/nginx";
  static final int SHARDS = 3;
  static final String RUN = "it-run";
  /** Time for three JVMs to start and prepare on a busy two-core machine before the common instant. */
  static final Duration LEAD = Duration.ofSeconds(20);
  static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);

  Path dir;
  Process nginx;
  int nginxPort;
  S3ProxyServer s3;
  S3Client client;
  Instant startAt;
  final List<Integer> shardCodes = new ArrayList<>();
  final List<String> shardErrors = new ArrayList<>();

  @BeforeAll
  void runThreeShards() throws Exception {
    assumeThat(new File(NGINX).canExecute()).as("nginx is installed (scripts/install-test-tools.sh)").isTrue();
    dir = Files.createTempDirectory("stampede-distributed-it");
    startNginx();
    s3 = new S3ProxyServer(Files.createDirectories(dir.resolve("s3")));
    client = s3.client();
    client.createBucket(b -> b.bucket("results"));

    startAt = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
    List<Process> shards = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      shards.add(stampede(i, "run", "--url", "/", "--host", "http://127.0.0.1:" + nginxPort, "--users", "5",
          "--run-time", "3s", "--threads", "1", "--run-id", RUN, "--start-at", startAt.toString(),
          "--start-tolerance", "60s", "--expect-shards", "3", "--results-dir", "s3://results/distributed",
          "--set", "s3.endpoint=" + s3.endpoint(), "--requests-log", dir.resolve("requests-" + i + ".csv").toString(),
          "--json", dir.resolve("shard-" + i + ".json").toString(), "-q"));
    }
    for (int i = 0; i < SHARDS; i++) {
      shardCodes.add(await(shards.get(i)));
      shardErrors.add(Files.readString(dir.resolve("stderr-" + i + "-run.txt")));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void everyShardRanItsPartAndStartedAtTheInstant() throws Exception {
    assertThat(shardCodes).as(shardErrors.toString()).containsExactly(0, 0, 0);
    int users = 0;
    for (int i = 0; i < SHARDS; i++) {
      JsonNode shard = json(dir.resolve("shard-" + i + ".json"));
      assertThat(shard.at("/shard/index").asInt()).isEqualTo(i);
      assertThat(shard.at("/instance").asText()).isEqualTo("shard-" + i);
      assertThat(Instant.parse(shard.at("/shard/start_at").asText())).isEqualTo(startAt);
      assertThat(shard.at("/shard/start_skew_ms").isNumber()).isTrue();
      users += shard.at("/users").asInt();
    }
    // 5 users on 3 shards: 2, 2, 1.
    assertThat(users).isEqualTo(5);
    assertThat(client.listObjectsV2(b -> b.bucket("results").prefix("distributed/" + RUN + "/")).contents())
        .extracting(o -> o.key().substring(("distributed/" + RUN + "/").length()))
        .containsExactlyInAnyOrder("shard-0.json", "shard-1.json", "shard-2.json",
            "ready/shard-0", "ready/shard-1", "ready/shard-2");
  }

  @Test
  void theMergeCountsEveryRequestAndItsPercentilesAreThoseOfTheUnionOfTheShardsLogs() throws Exception {
    assertThat(shardCodes).as(shardErrors.toString()).containsExactly(0, 0, 0);
    Path merged = dir.resolve("merged.json");
    StringWriter out = new StringWriter();
    int code = mergeInProcess(out, "s3://results/distributed/" + RUN, "--expect", "3", "--json", merged.toString(),
        "--html", dir.resolve("merged.html").toString());

    assertThat(code).as(out.toString()).isZero();
    JsonNode result = json(merged);
    long shardSum = 0;
    List<Double> logged = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      shardSum += json(dir.resolve("shard-" + i + ".json")).at("/total/count").asLong();
      List<String> rows = Files.readAllLines(dir.resolve("requests-" + i + ".csv"));
      for (String row : rows.subList(1, rows.size())) {
        logged.add(Double.parseDouble(row.split(",")[3]));
      }
    }
    long total = result.at("/total/count").asLong();
    assertThat(total).isPositive().isEqualTo(shardSum).isEqualTo(logged.size());
    double[] exact = logged.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    for (double p : Percentiles.REPORTED) {
      String label = Percentiles.label(p);
      double expected = exact[Math.max(0, (int) Math.ceil(p / 100 * exact.length) - 1)];
      // HdrHistogram (3 significant digits) reports a bucket's highest equivalent value, at most 0.1% above;
      // the log rounds to the microsecond, the histogram truncates to it.
      assertThat(result.at("/total/" + label).asDouble()).as(label)
          .isBetween(expected - 0.002, expected * 1.002 + 0.002);
    }
    assertThat(Files.readString(dir.resolve("merged.html"))).contains("<section id=\"shards\">");
  }

  @Test
  void aShardThatReachesTheInstantTooLateExitsWithTheLateStartCode() throws Exception {
    Process late = stampede(1, "late", "--url", "/", "--host", "http://127.0.0.1:" + nginxPort, "--run-time", "1s",
        "--run-id", RUN, "--start-at", Instant.now().minusSeconds(30).toString(), "--start-tolerance", "2s",
        "--results-dir", "s3://results/distributed", "--set", "s3.endpoint=" + s3.endpoint(), "-q");

    assertThat(await(late)).isEqualTo(4);
    // The child's standard error also holds the JVM's and SLF4J's warnings about the test class path.
    assertThat(Files.readString(dir.resolve("stderr-1-late.txt"))).contains("stampede: shard 1/3 was ready ").contains("later than --start-tolerance 2.000s allows");
  }

  @Test
  void aSecondWriterOfAShardIsRefused() throws Exception {
    Process second = stampede(0, "second", "--url", "/", "--host", "http://127.0.0.1:" + nginxPort, "--run-time",
        "1s", "--run-id", RUN, "--results-dir", "s3://results/distributed", "--set", "s3.endpoint=" + s3.endpoint(),
        "-q");

    assertThat(await(second)).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("stderr-0-second.txt")))
        .contains("stampede: the result of shard 0/3 of run it-run already exists in s3://results/distributed");
  }

  @Test
  void aMissingShardFailsTheMerge() throws Exception {
    assertThat(shardCodes).as(shardErrors.toString()).containsExactly(0, 0, 0);
    for (int i : new int[] {0, 2}) {
      byte[] bytes = client.getObjectAsBytes(b -> b.bucket("results").key("distributed/" + RUN + "/shard-" + i
          + ".json")).asByteArray();
      client.putObject(b -> b.bucket("results").key("two-of-three/" + RUN + "/shard-" + i + ".json"),
          RequestBody.fromBytes(bytes));
    }
    StringWriter out = new StringWriter();

    int code = mergeInProcess(out, "s3://results/two-of-three/" + RUN, "--expect", "3", "-q");

    assertThat(code).isEqualTo(3);
    assertThat(out.toString()).contains("1 of 3 shards are missing in s3://results/two-of-three/it-run: shard [1]");
  }

  // ---------------------------------------------------------------- helpers

  private int mergeInProcess(StringWriter out, String... args) {
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    CommandLine commandLine = Stampede.commandLine();
    PrintWriter writer = new PrintWriter(out, true);
    commandLine.setOut(writer);
    commandLine.setErr(writer);
    List<String> all = new ArrayList<>(List.of("merge"));
    all.addAll(Arrays.asList(args));
    all.addAll(List.of("--set", "s3.endpoint=" + s3.endpoint()));
    return commandLine.execute(all.toArray(String[]::new));
  }

  /** {@code stampede run ARGS} as a pod of the Indexed Job would run it: its index and the shard count in the environment. */
  private Process stampede(int index, String label, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "dev.stampede.cli.Stampede", "run"));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout-" + index + "-" + label + ".txt").toFile())
        .redirectError(dir.resolve("stderr-" + index + "-" + label + ".txt").toFile());
    Map<String, String> env = builder.environment();
    env.put("JOB_COMPLETION_INDEX", Integer.toString(index));
    env.put("STAMPEDE_SHARDS", Integer.toString(SHARDS));
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.remove("AWS_PROFILE");
    return builder.start();
  }

  private static int await(Process process) throws InterruptedException {
    if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("a stampede process did not end within " + PROCESS_TIMEOUT);
    }
    return process.exitValue();
  }

  private static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  private void startNginx() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nginxPort = socket.getLocalPort();
    }
    Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
    String conf = Files.readString(Path.of("..", "bench", "nginx.conf"))
        .replace("@PORT@", Integer.toString(nginxPort)).replace("@DIR@", nginxDir.toString());
    Files.writeString(nginxDir.resolve("nginx.conf"), conf);
    nginx = new ProcessBuilder(NGINX, "-p", nginxDir.toString(), "-c", nginxDir.resolve("nginx.conf").toString(),
        "-e", nginxDir.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(nginxDir.resolve("stdout").toFile()).start();
    int port = nginxPort;
    try {
      Awaitility.await("nginx listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .failFast("nginx exited", () -> !nginx.isAlive()).until(() -> {
            try (Socket probe = new Socket()) {
              probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
              return true;
            } catch (IOException notYet) {
              return false;
            }
          });
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new IllegalStateException("nginx did not start: " + Files.readString(nginxDir.resolve("stdout")), e);
    }
  }
}
