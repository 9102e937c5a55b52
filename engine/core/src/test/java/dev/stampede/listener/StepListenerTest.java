package dev.stampede.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.stats.IntervalStats;
import dev.stampede.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
