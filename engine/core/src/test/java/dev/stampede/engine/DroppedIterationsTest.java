package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.Events;
import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.User;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dropped iterations are statistics like the others: a warm-up's are counted nowhere. */
class DroppedIterationsTest {

  /**
   * How many of the next iterations take a second; the rest are instant. Counted, not timed: on a
   * slow machine the users may start after any time window has passed, and then nothing drops.
   */
  static final AtomicInteger slowIterations = new AtomicInteger();

  public static class ColdUser extends User {
    @Task
    void work() throws Exception {
      if (slowIterations.getAndDecrement() > 0) {
        Thread.sleep(1_000); // the stimulus: a slow iteration that keeps its user busy
      }
      measure("work", () -> 1);
    }
  }

  /** The first {@code count} iterations of the run each take a second: every one of 50 users is busy. */
  private static Events slowFirst(int count) {
    return new Events().onTestStart(run -> slowIterations.set(count));
  }

  @Test
  void iterationsDroppedDuringTheWarmUpAreCountedNowhere() {
    // 50 users take the first 50 iterations due and sleep a second: about 100 more are dropped
    // while they do, all within the warm-up. Afterwards iterations are instant: only a stall of the
    // whole process for half a second could drop one.
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ColdUser.class)).users(50).arrivalRate(100)
        .events(slowFirst(50)).warmup(Duration.ofSeconds(3)).runTime(Duration.ofSeconds(1))
        .stopTimeout(Duration.ofSeconds(5)).build().run();

    Summary summary = outcome.summary();
    assertThat(summary.total().count()).isPositive();
    assertThat(summary.droppedIterations()).isZero();
  }

  @Test
  void dropsInTheFirstSecondsAreReportedAsAColdStart() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ColdUser.class)).users(50).arrivalRate(100)
        .events(slowFirst(50)).runTime(Duration.ofSeconds(10))
        .stopTimeout(Duration.ofSeconds(5)).build().run();

    long dropped = outcome.summary().droppedIterations();
    assertThat(dropped).isPositive();
    assertThat(outcome.startDrops().window()).isEqualTo(Duration.ofSeconds(2));
    assertThat(outcome.startDrops().clustered(dropped)).as("%s of %d", outcome.startDrops(), dropped).isTrue();
  }

  @Test
  void theStartWindowIsAFifthOfTheRunBetweenOneAndFiveSeconds() {
    assertThat(StartDrops.windowFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
    assertThat(StartDrops.windowFor(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(3));
    assertThat(StartDrops.windowFor(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(5));
    assertThat(new StartDrops(40, Duration.ofSeconds(3)).clustered(100)).isFalse();
    assertThat(new StartDrops(60, Duration.ofSeconds(3)).clustered(100)).isTrue();
  }
}
