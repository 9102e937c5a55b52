package dev.stampede.bench;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.config.ConfigSource;
import dev.stampede.listener.cloudwatch.CloudWatchConfig;
import dev.stampede.listener.cloudwatch.CloudWatchListener;
import dev.stampede.listener.influx.InfluxConfig;
import dev.stampede.listener.influx.InfluxListener;
import dev.stampede.listener.prometheus.PrometheusListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What each listener's {@link Listener#onResults} costs per result, on its own thread: a batch of
 * {@value #BATCH} results (the bus hands over up to 1,000, a few hundred at the benchmark's rates)
 * over {@code endpoints} endpoints in a shuffled order, 2% of them failures, response times from
 * 0.1 to 20 ms. The score is nanoseconds per result.
 *
 * <p>No backend is contacted while measuring: Prometheus serves {@code /metrics} on a free port
 * that nothing scrapes and pushes nothing; InfluxDB and CloudWatch run on a fixed clock, in the middle of a step that never ends,
 * so they only aggregate (their start-up traffic goes to port 1 on loopback, where nothing
 * listens). What the steps cost when they end (once per 10 s) is not in the score.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ListenerBenchmark {

  static final int BATCH = 256;
  private static final Instant MID_STEP = Instant.parse("2026-12-02T04:00:05Z");
  private static final String NOWHERE = "http://127.0.0.1:1";

  @Param({"prometheus", "influx", "cloudwatch"})
  String listener;

  @Param({"1", "5"})
  int endpoints;

  private Listener target;
  private List<RequestResult> batch;

  @Setup
  public void start() {
    Clock clock = Clock.fixed(MID_STEP, ZoneOffset.UTC);
    target = switch (listener) {
      case "prometheus" -> PrometheusListener.builder()
          .config(ConfigSource.of(Map.of("prometheus.port", "0", "prometheus.linger", "0s"))).build();
      case "influx" -> InfluxListener.builder()
          .config(InfluxConfig.from(ConfigSource.of(Map.of(
              "influx.url", NOWHERE, "influx.db", "bench", "influx.create-database", "false"))))
          .clock(clock).build();
      case "cloudwatch" -> CloudWatchListener.builder(CloudWatchConfig.of(
              ConfigSource.of(Map.of("cloudwatch.endpoint", NOWHERE, "cloudwatch.region", "us-east-1"))))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
          .clock(clock).build();
      default -> throw new IllegalArgumentException("listener must be prometheus, influx or cloudwatch but was " + listener);
    };
    target.onStart(new RunInfo("bench", "jmh", NOWHERE, "ListenerBenchmark", Map.of(), MID_STEP));
    batch = results(endpoints);
  }

  @TearDown
  public void stop() throws Exception {
    target.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void onResults() {
    target.onResults(batch);
  }

  static List<RequestResult> results(int endpoints) {
    SplittableRandom random = new SplittableRandom(42);
    List<RequestResult> results = new ArrayList<>(BATCH);
    long startMicros = MID_STEP.toEpochMilli() * 1_000;
    for (int i = 0; i < BATCH; i++) {
      int endpoint = random.nextInt(endpoints);
      String method = endpoint == 4 ? "POST" : "GET";
      String name = endpoint == 0 ? "/" : "/api/items/" + endpoint;
      // Mostly fast, with a tail: 0.1 to 20 ms.
      long nanos = (long) (100_000 * Math.pow(200, random.nextDouble() * random.nextDouble()));
      boolean failed = random.nextInt(50) == 0;
      results.add(new RequestResult(startMicros + i, method, name, nanos, failed ? 0 : 600 + random.nextInt(400),
          failed ? 503 : 200, failed ? "503 Service Unavailable" : null, Map.of()));
    }
    return List.copyOf(results);
  }
}
