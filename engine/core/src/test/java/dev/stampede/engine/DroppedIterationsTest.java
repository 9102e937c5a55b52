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

  /** Until then (nanoTime) each iteration takes 100 ms; after it, none. */
  static volatile long slowUntil;

  public static class ColdUser extends User {
    @Task
    void work() throws Exception {
      if (System.nanoTime() - slowUntil < 0) {
        Thread.sleep(100);
      }
      measure("work", () -> 1);
    }
  }

  private static Events slowFor(Duration slow) {
    return new Events().onTestStart(run -> slowUntil = System.nanoTime() + slow.toNanos());
  }

  @Test
  void iterationsDroppedDuringTheWarmUpAreCountedNowhere() {
    // Four users busy 100 ms each start 40 of the 100 iterations due per second while slow.
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ColdUser.class)).users(4).arrivalRate(100)
        .events(slowFor(Duration.ofMillis(600))).warmup(Duration.ofSeconds(1)).runTime(Duration.ofSeconds(1))
        .stopTimeout(Duration.ofSeconds(5)).build().run();

    Summary summary = outcome.summary();
    assertThat(summary.total().count()).isPositive();
    assertThat(summary.droppedIterations()).isZero();
  }

  @Test
  void dropsInTheFirstSecondsAreReportedAsAColdStart() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ColdUser.class)).users(4).arrivalRate(100)
        .events(slowFor(Duration.ofMillis(700))).runTime(Duration.ofSeconds(3))
        .stopTimeout(Duration.ofSeconds(5)).build().run();

    long dropped = outcome.summary().droppedIterations();
    assertThat(dropped).isPositive();
    assertThat(outcome.startDrops().window()).isEqualTo(Duration.ofSeconds(1));
    assertThat(outcome.startDrops().count()).isEqualTo(dropped);
    assertThat(outcome.startDrops().clustered(dropped)).isTrue();
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
