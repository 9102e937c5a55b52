package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.Events;
import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.User;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dropped iterations are statistics like the others: a warm-up's are counted nowhere. */
class DroppedIterationsTest {

  /** Iterations started before then (nanoTime) take a second; after it, none. */
  static volatile long slowUntil;

  public static class ColdUser extends User {
    @Task
    void work() throws Exception {
      if (System.nanoTime() - slowUntil < 0) {
        Thread.sleep(1_000);
      }
      measure("work", () -> 1);
    }
  }

  private static Events slowFor(Duration slow) {
    return new Events().onTestStart(run -> slowUntil = System.nanoTime() + slow.toNanos());
  }

  @Test
  void iterationsDroppedDuringTheWarmUpAreCountedNowhere() {
    // 50 users take the first 50 iterations due and sleep a second: about 50 more are dropped
    // while they do, all within the warm-up. Afterwards iterations are instant: only a stall of the
    // whole process for half a second could drop one.
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ColdUser.class)).users(50).arrivalRate(100)
        .events(slowFor(Duration.ofMillis(500))).warmup(Duration.ofSeconds(3)).runTime(Duration.ofSeconds(1))
        .stopTimeout(Duration.ofSeconds(5)).build().run();

    Summary summary = outcome.summary();
    assertThat(summary.total().count()).isPositive();
    assertThat(summary.droppedIterations()).isZero();
  }

  @Test
  void dropsInTheFirstSecondsAreReportedAsAColdStart() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ColdUser.class)).users(50).arrivalRate(100)
        .events(slowFor(Duration.ofMillis(500))).runTime(Duration.ofSeconds(10))
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
