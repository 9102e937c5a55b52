package dev.stampede.bench;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.bus.OverflowPolicy;
import dev.stampede.bus.ResultBus;
import dev.stampede.stats.RunStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every request costs the engine after the HTTP call: the result bus publish
 * ({@link ResultBus#publish}) to one listener that consumes on its own thread, and publish together
 * with the inline statistics record (what a user's result sink does), with 1 and 2 producer
 * threads; {@link StatsRecordBenchmark} has the record alone. The target (issue 8): publish plus record at most 150 ns per result at 2
 * threads.
 *
 * <p>{@code policy} is the bus's overflow policy: with {@code BLOCK} a producer waits when the
 * listener falls behind, so the time includes keeping up with the consumer; with {@code DROP} (the
 * engine's default) a full queue drops, which the teardown prints as a fraction.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HotPathBenchmark {

  private static final Map<String, String> TAGS = Map.of("env", "bench");
  private static final RunInfo RUN = new RunInfo("bench", "local", "http://127.0.0.1", "bench", TAGS, Instant.EPOCH);

  @Param({"BLOCK", "DROP"})
  public String policy;

  private ResultBus bus;
  private RunStats stats;
  private final LongAdder consumed = new LongAdder();

  /** A listener that does the least a real one does: looks at every result of the batch. */
  private final class CountingListener implements Listener {
    long bytes;

    @Override
    public void onStart(RunInfo run) {}

    @Override
    public void onResults(List<RequestResult> batch) {
      for (RequestResult result : batch) {
        bytes += result.bytes();
      }
      consumed.add(batch.size());
    }

    @Override
    public void onStop(Summary summary) {}

    @Override
    public void close() {}
  }

  @Setup(Level.Trial)
  public void setUp() {
    bus = ResultBus.builder()
        .listener("counting", new CountingListener())
        .overflowPolicy(OverflowPolicy.valueOf(policy))
        .build();
    bus.start(RUN);
    stats = new RunStats(System.currentTimeMillis(), 3600);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Summary summary = new Summary(RUN, RUN.startedAt(), Duration.ofSeconds(1), 1, List.of(), stats.total(1), List.of(), 0);
    List<ListenerDelivery> deliveries = bus.stop(summary);
    ListenerDelivery delivery = deliveries.get(0);
    long offered = delivery.delivered() + delivery.dropped();
    System.out.printf("%n[%s] bus delivered %d, dropped %d (%.1f%%)%n", policy, delivery.delivered(),
        delivery.dropped(), offered == 0 ? 0.0 : 100.0 * delivery.dropped() / offered);
  }

  private static RequestResult result() {
    return new RequestResult(System.currentTimeMillis() * 1000, "GET", "/users/[id]", 1_234_567, 512, 200, null, TAGS);
  }

  @Benchmark
  @Threads(1)
  public void publish1() {
    bus.publish(result());
  }

  @Benchmark
  @Threads(2)
  public void publish2() {
    bus.publish(result());
  }

  @Benchmark
  @Threads(1)
  public void recordAndPublish1() {
    stats.record("GET", "/users/[id]", 1_234_567, 512, null, 0);
    bus.publish(result());
  }

  @Benchmark
  @Threads(2)
  public void recordAndPublish2() {
    stats.record("GET", "/users/[id]", 1_234_567, 512, null, 0);
    bus.publish(result());
  }
}
