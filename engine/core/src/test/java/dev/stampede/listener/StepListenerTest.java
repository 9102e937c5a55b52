package dev.stampede.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.Listener;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.stats.IntervalStats;
import dev.stampede.stats.TickInterval;
import dev.stampede.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StepListenerTest {

  private static final RunInfo RUN = new RunInfo("r", "i", "", "s", Map.of(), Instant.EPOCH);

  /** Starts 3.5 s after a 10 s boundary. */
  private final ManualClock clock = new ManualClock(1_700_000_003_500L);

  private final class Recording extends StepListener {
    final List<IntervalStats> steps = new ArrayList<>();
    boolean failNext;
    boolean stopped;

    Recording() {
      super(Duration.ofSeconds(10), 100, clock);
    }

    @Override
    protected void start(RunInfo run) {}

    @Override
    protected void publish(IntervalStats step) {
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("backend exploded");
      }
      steps.add(step);
    }

    @Override
    protected void stop(Summary summary) {
      stopped = true;
    }
  }

  private static RequestResult result() {
    return new RequestResult(0, "GET", "/", 1_000_000, 0, 200, null, Map.of());
  }

  private static Summary summary() {
    EndpointStats total = new EndpointStats("", "Aggregated", 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Summary(RUN, RUN.startedAt(), Duration.ZERO, 0, List.of(), total, List.of(), 0);
  }

  private static Snapshot tick() {
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Snapshot(0, 1, 1, total, List.of(), 0, 0, 0, 0, 0);
  }

  @Test
  void alignsStepsToTheWallClockAndPublishesTheLastPartialStepAtStop() {
    Recording listener = new Recording();
    listener.onStart(RUN);
    listener.onResults(List.of(result(), result()));
    clock.advance(Duration.ofMillis(6_499));
    listener.onTick(tick());
    assertThat(listener.steps).isEmpty();

    clock.advance(Duration.ofMillis(1));
    listener.onResults(List.of(result()));
    clock.advance(Duration.ofSeconds(3));
    listener.onStop(summary());

    assertThat(listener.steps).hasSize(2);
    IntervalStats first = listener.steps.get(0);
    assertThat(first.startMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(first.endMillis()).isEqualTo(1_700_000_010_000L);
    assertThat(first.total().count()).isEqualTo(2);
    IntervalStats last = listener.steps.get(1);
    assertThat(last.startMillis()).isEqualTo(1_700_000_010_000L);
    assertThat(last.endMillis()).isEqualTo(1_700_000_013_000L);
    assertThat(last.total().count()).isEqualTo(1);
    assertThat(listener.stopped).isTrue();
  }

  @Test
  void skipsStepsInWhichNothingHappened() {
    Recording listener = new Recording();
    listener.onStart(RUN);
    clock.advance(Duration.ofSeconds(25));
    listener.onTick(tick());
    listener.onResults(List.of(result()));
    clock.advance(Duration.ofSeconds(10));
    listener.onTick(tick());

    assertThat(listener.steps).singleElement().satisfies(step -> {
      assertThat(step.startMillis()).isEqualTo(1_700_000_020_000L);
      assertThat(step.endMillis()).isEqualTo(1_700_000_030_000L);
    });
  }

  @Test
  void countsTheResultsOfAStepThatFailedToPublishAsLost() {
    Recording listener = new Recording();
    listener.onStart(RUN);
    listener.failNext = true;
    listener.onResults(List.of(result(), result(), result()));
    clock.advance(Duration.ofSeconds(10));
    listener.onTick(tick());

    assertThat(listener.steps).isEmpty();
    assertThat(listener.resultsLost()).isEqualTo(3);
  }

  /** An interval of {@code count} results of {@code name}, each taking {@code millis}, one in ten failed. */
  private static TickInterval interval(long startMillis, long endMillis, String name, int count, long millis) {
    Histogram micros = new Histogram(3);
    micros.recordValueWithCount(millis * 1_000, count);
    long failures = count / 10;
    Map<String, Long> errors = failures == 0 ? Map.of() : Map.of("HTTP 503", failures);
    return new TickInterval(startMillis, endMillis, List.of(new TickInterval.Endpoint("GET", name, count, failures,
        count * 100L, count * millis * 1_000_000L, micros, errors)));
  }

  @Test
  void takesTheEnginesIntervalsAndPublishesAStepAtTheTickThatEndsIt() {
    Recording listener = new Recording();
    assertThat(listener.feed()).isEqualTo(Listener.Feed.INTERVALS);
    listener.onStart(RUN);
    long boundary = 1_700_000_010_000L;
    // The load started at 3.5 s; the engine ticks on whole seconds, a few milliseconds late.
    long start = 1_700_000_003_500L;
    for (long tick = 1_700_000_005_002L; tick <= boundary + 2; tick += 1_000) {
      listener.onInterval(interval(start, tick, "/a", 20, 4));
      start = tick;
      assertThat(listener.steps).as("published at the tick that reaches the boundary only").hasSize(tick > boundary ? 1 : 0);
    }
    listener.onInterval(interval(start, boundary + 1_003, "/a", 10, 8));
    // The clock has not moved: intervals, not the listener's clock, end the steps.
    listener.onTick(tick());
    clock.advance(Duration.ofSeconds(30));
    listener.onTick(tick());
    assertThat(listener.steps).hasSize(1);
    listener.onStop(summary());

    assertThat(listener.steps).hasSize(2);
    IntervalStats first = listener.steps.get(0);
    assertThat(first.startMillis()).isEqualTo(boundary - 10_000);
    assertThat(first.endMillis()).isEqualTo(boundary);
    assertThat(first.total().count()).isEqualTo(6 * 20);
    assertThat(first.total().failures()).isEqualTo(6 * 2);
    assertThat(first.endpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.errors()).containsExactly(Map.entry("HTTP 503", 12L));
      assertThat(endpoint.bytes()).isEqualTo(6 * 20 * 100);
      assertThat(endpoint.mean()).isEqualTo(4.0);
      assertThat(endpoint.min()).isEqualTo(4.0);
      assertThat(endpoint.max()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.004));
      assertThat(endpoint.micros().getTotalCount()).isEqualTo(120);
    });
    IntervalStats last = listener.steps.get(1);
    assertThat(last.startMillis()).isEqualTo(boundary);
    assertThat(last.total().count()).isEqualTo(10);
    assertThat(last.total().mean()).isEqualTo(8.0);
  }

  @Test
  void foldsTheIntervalsOfEndpointsPastTheCapIntoOther() {
    List<IntervalStats> steps = new ArrayList<>();
    StepListener capped = new StepListener(Duration.ofSeconds(10), 1, clock) {
      @Override
      protected void start(RunInfo run) {}

      @Override
      protected void publish(IntervalStats step) {
        steps.add(step);
      }

      @Override
      protected void stop(Summary summary) {}
    };
    capped.onStart(RUN);
    capped.onInterval(interval(1_700_000_003_500L, 1_700_000_004_000L, "/a", 5, 1));
    capped.onInterval(interval(1_700_000_004_000L, 1_700_000_005_000L, "/b", 7, 1));
    capped.onStop(summary());

    assertThat(steps).singleElement().satisfies(step -> {
      assertThat(step.endpoints()).extracting(IntervalStats.Endpoint::name).containsExactly("/a", IntervalStats.OTHER_NAME);
      assertThat(step.total().count()).isEqualTo(12);
    });
    assertThat(capped.overflowedEndpoints()).isEqualTo(7);
  }
}
