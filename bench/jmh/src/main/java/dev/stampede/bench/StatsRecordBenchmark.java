package dev.stampede.bench;

import dev.stampede.stats.RunStats;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's inline statistics record ({@link RunStats#record}: endpoint lookup, HdrHistogram
 * {@code Recorder}, counters) for one endpoint, with 1 and 2 threads recording into it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StatsRecordBenchmark {

  private final RunStats stats = new RunStats(System.currentTimeMillis(), 3600);

  @Benchmark
  @Threads(1)
  public void record1() {
    stats.record("GET", "/users/[id]", 1_234_567, 512, null, 0);
  }

  @Benchmark
  @Threads(2)
  public void record2() {
    stats.record("GET", "/users/[id]", 1_234_567, 512, null, 0);
  }
}
