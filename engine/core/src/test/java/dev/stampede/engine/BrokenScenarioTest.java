package dev.stampede.engine;

import static dev.stampede.engine.LoadTestTest.runUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A run that measured the scenario's own bug says so, with the first exception and where it was
 * thrown. Each test hands its users their counters through {@link LoadTest.Builder#userFactory}: no
 * static state, so the tests can run in parallel.
 */
class BrokenScenarioTest {

  public static class ThrowingConstructorUser extends User {
    ThrowingConstructorUser(AtomicLong attempts) {
      attempts.incrementAndGet();
      throw new IllegalStateException("no config");
    }

    @Task
    void never() {}
  }

  public static class ThrowingOnStartUser extends User {
    private final AtomicLong attempts;

    ThrowingOnStartUser(AtomicLong attempts) {
      this.attempts = attempts;
    }

    @Override
    protected void onStart() {
      attempts.incrementAndGet();
      throw new IllegalArgumentException("login failed");
    }

    @Task
    void never() {}
  }

  public static class EveryTaskThrowsUser extends User {
    private final AtomicLong attempts;

    EveryTaskThrowsUser(AtomicLong attempts) {
      this.attempts = attempts;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.005);
    }

    @Task
    void explode() {
      attempts.incrementAndGet();
      throw new UnsupportedOperationException("not written yet");
    }
  }

  public static class FirstOfTwoFailsUser extends User {
    private final AtomicLong attempts;

    FirstOfTwoFailsUser(AtomicLong created, AtomicLong attempts) {
      if (created.getAndIncrement() == 0) {
        throw new IllegalStateException("unlucky");
      }
      this.attempts = attempts;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.005);
    }

    @Task
    void work() {
      attempts.incrementAndGet();
    }
  }

  public static class OddNameUser extends User {
    private final AtomicLong attempts;

    OddNameUser(AtomicLong attempts) {
      this.attempts = attempts;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.005);
    }

    @Task
    void measureIt() throws Exception {
      attempts.incrementAndGet();
      measure("lone\uD800surrogate \uD83D\uDE00", () -> 1);
    }
  }

  @Test
  void usersWhoseConstructorThrowsMakeTheRunBrokenNamingTheExceptionAndItsLine() throws Exception {
    AtomicLong attempts = new AtomicLong();
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(ThrowingConstructorUser.class)).users(3)
        .spawnRate(100).userFactory(type -> new ThrowingConstructorUser(attempts)).build(), () -> attempts.get() >= 3);

    assertThat(outcome.summary().total().count()).isZero();
    assertThat(outcome.brokenScenario())
        .startsWith("no user could start: ThrowingConstructorUser.<init> threw IllegalStateException: no config at ")
        .contains("BrokenScenarioTest$ThrowingConstructorUser.<init>(BrokenScenarioTest.java:");
  }

  @Test
  void usersWhoseOnStartThrowsInTheOpenModelMakeTheRunBroken() throws Exception {
    AtomicLong attempts = new AtomicLong();
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(ThrowingOnStartUser.class)).users(2)
        .arrivalRate(100).runTime(Duration.ofSeconds(1)).userFactory(type -> new ThrowingOnStartUser(attempts))
        .build().run();

    assertThat(outcome.brokenScenario())
        .startsWith("no user could start: ThrowingOnStartUser.onStart threw IllegalArgumentException: login failed at ")
        .contains("ThrowingOnStartUser.onStart(BrokenScenarioTest.java:");
    // A pooled user that could not start is not started again for its next iterations.
    assertThat(attempts.get()).isBetween(1L, 2L);
  }

  @Test
  void aScenarioWhoseEveryTaskThrowsIsBroken() throws Exception {
    AtomicLong attempts = new AtomicLong();
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(EveryTaskThrowsUser.class)).users(2)
        .spawnRate(100).userFactory(type -> new EveryTaskThrowsUser(attempts)).build(), () -> attempts.get() >= 5);

    assertThat(outcome.brokenScenario()).startsWith(
        "every task threw an exception: EveryTaskThrowsUser.explode threw UnsupportedOperationException: not written yet at ");
  }

  @Test
  void aRunInWhichSomeUsersStartedIsNotBroken() throws Exception {
    AtomicLong created = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(FirstOfTwoFailsUser.class)).users(2)
        .spawnRate(100).userFactory(type -> new FirstOfTwoFailsUser(created, attempts)).build(),
        () -> attempts.get() >= 5);

    assertThat(outcome.brokenScenario()).isNull();
    assertThat(outcome.taskErrors()).containsKey("FirstOfTwoFailsUser.<init>: IllegalStateException: unlucky");
  }

  @Test
  void loneSurrogatesInNamesAreReplacedOnceForStatisticsAndListenersAlike() throws Exception {
    AtomicLong attempts = new AtomicLong();
    List<RequestResult> received = Collections.synchronizedList(new ArrayList<>());
    Listener listener = new Listener() {
      @Override
      public void onStart(RunInfo run) {}

      @Override
      public void onResults(List<RequestResult> batch) {
        received.addAll(batch);
      }

      @Override
      public void onStop(Summary summary) {}
    };
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(OddNameUser.class)).users(1).spawnRate(100)
        .stopTimeout(Duration.ofSeconds(5)).listener("collect", listener).userFactory(type -> new OddNameUser(attempts))
        .build(), () -> attempts.get() >= 3);

    String expected = "lone\uFFFDsurrogate \uD83D\uDE00";
    assertThat(outcome.summary().endpoints()).extracting(EndpointStats::name).containsExactly(expected);
    assertThat(received).isNotEmpty().allSatisfy(r -> assertThat(r.name()).isEqualTo(expected));
  }

  @Test
  void sanitizeKeepsValidPairsAndReplacesLoneHalves() {
    String clean = "GET /caf\u00e9 \uD83D\uDE00";
    assertThat(ResultNames.sanitize(clean)).isSameAs(clean);
    assertThat(ResultNames.sanitize("a\uD800")).isEqualTo("a\uFFFD");
    assertThat(ResultNames.sanitize("\uDC00b\uD800\uD800\uDC00")).isEqualTo("\uFFFDb\uFFFD\uD800\uDC00");
    assertThat(ResultNames.sanitize(null)).isNull();
  }
}
