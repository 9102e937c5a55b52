package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.Events;
import dev.stampede.FixedCount;
import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.SequentialTaskSet;
import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.TaskSet;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.Weight;
import dev.stampede.bus.ListenerDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LoadTestTest {

  /**
   * The longest a run may take to do what a test checks. Runs are stopped as soon as it is done, so
   * this only bounds a run that never gets there, which then fails its assertions.
   */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /**
   * Runs {@code test} until {@code done} holds (checked every 10 ms) or {@link #DEADLINE} passes, then
   * stops it. A run of fixed wall-clock length may do nothing at all on a slow or busy machine (a
   * cold JVM spawning its first virtual threads); this one lasts as long as the work takes.
   */
  static RunOutcome runUntil(LoadTest test, BooleanSupplier done) throws InterruptedException {
    Thread stopper = Thread.ofPlatform().daemon().name("test-stopper").start(() -> {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      try {
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      } catch (InterruptedException e) {
        return;
      }
      test.stop();
    });
    try {
      return test.run();
    } finally {
      stopper.interrupt();
      stopper.join();
    }
  }

  /** Requests recorded so far under {@code name}, counting only the measured part of the run. */
  static long recorded(LoadTest test, String name) {
    dev.stampede.stats.RunStats stats = test.stats();
    return stats == null ? 0 : stats.endpoints(1).stream().filter(e -> e.name().equals(name))
        .mapToLong(EndpointStats::count).sum();
  }

  /** Requests recorded so far, counting only the measured part of the run. */
  static long recorded(LoadTest test) {
    dev.stampede.stats.RunStats stats = test.stats();
    return stats == null ? 0 : stats.total(1).count();
  }

  /** Steps recorded by the sequential task set, in the order they ran (one user). */
  static final List<String> SEQUENCE = Collections.synchronizedList(new ArrayList<>());
  static final Map<String, AtomicLong> SPAWNED = new ConcurrentHashMap<>();

  public static class SequenceUser extends User {
    @Task
    void flow() {
      run(new Steps());
    }
  }

  public static class Steps extends SequentialTaskSet {
    @Task(50)
    void third() {
      SEQUENCE.add("third");
    }

    @Task
    void first() {
      SEQUENCE.add("first");
    }

    @Task
    void second() {
      SEQUENCE.add("second");
      if (SEQUENCE.size() > 30) {
        interrupt();
      }
    }
  }

  public static class MeasuringUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.001);
    }

    @Task(3)
    void fast() throws Exception {
      measure("fast", () -> 1);
    }

    @Task
    void failing() {
      try {
        measure("broken", () -> {
          throw new IllegalStateException("db down");
        });
      } catch (Exception expected) {
        // recorded as a failure
      }
    }
  }

  @Weight(3)
  public static class HeavyUser extends User {
    @Override
    protected void onStart() {
      SPAWNED.computeIfAbsent("heavy", k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.05);
    }

    @Task
    void idle() {}
  }

  public static class LightUser extends User {
    @Override
    protected void onStart() {
      SPAWNED.computeIfAbsent("light", k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.05);
    }

    @Task
    void idle() {}
  }

  @FixedCount(1)
  public static class AdminUser extends User {
    @Override
    protected void onStart() {
      SPAWNED.computeIfAbsent("admin", k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.05);
    }

    @Task
    void idle() {}
  }

  static final AtomicLong EXPLODED = new AtomicLong();

  public static class BrokenTaskUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void explode() {
      EXPLODED.incrementAndGet();
      throw new IllegalArgumentException("scenario bug");
    }
  }

  static final AtomicLong LEFT = new AtomicLong();

  public static class InterruptingSet extends TaskSet {
    @Task
    void leave() {
      LEFT.incrementAndGet();
      interrupt();
    }
  }

  @Test
  void sequentialTaskSetRunsTasksInDeclarationOrderUntilInterrupted() throws Exception {
    SEQUENCE.clear();
    // The set interrupts itself after 33 steps; 36 include a fresh set started after the interrupt.
    runUntil(LoadTest.builder().userClasses(List.of(SequenceUser.class)).users(1).spawnRate(1).build(),
        () -> SEQUENCE.size() >= 36);

    assertThat(SEQUENCE).hasSizeGreaterThanOrEqualTo(36);
    for (int i = 0; i + 2 < SEQUENCE.size(); i += 3) {
      assertThat(SEQUENCE.subList(i, i + 3)).containsExactly("third", "first", "second");
    }
  }

  @Test
  void countsMeasuredWorkAndFailuresPerName() throws Exception {
    LoadTest test = LoadTest.builder().userClasses(List.of(MeasuringUser.class)).users(4).spawnRate(100).build();
    RunOutcome outcome = runUntil(test, () -> recorded(test, "fast") >= 5 && recorded(test, "broken") >= 5);

    Summary summary = outcome.summary();
    EndpointStats fast = summary.endpoints().stream().filter(e -> e.name().equals("fast")).findFirst().orElseThrow();
    EndpointStats broken = summary.endpoints().stream().filter(e -> e.name().equals("broken")).findFirst().orElseThrow();
    assertThat(fast.method()).isEqualTo("custom");
    assertThat(fast.failures()).isZero();
    assertThat(broken.failures()).isEqualTo(broken.count()).isPositive();
    assertThat(summary.total().count()).isEqualTo(fast.count() + broken.count());
    assertThat(summary.failures()).singleElement().satisfies(f -> {
      assertThat(f.error()).isEqualTo("IllegalStateException: db down");
      assertThat(f.occurrences()).isEqualTo(broken.count());
    });
  }

  @Test
  void spawnsFixedCountUsersFirstAndTheRestByWeight() throws Exception {
    SPAWNED.clear();
    runUntil(LoadTest.builder().userClasses(List.of(HeavyUser.class, LightUser.class, AdminUser.class)).users(9)
        .spawnRate(1000).build(), () -> SPAWNED.values().stream().mapToLong(AtomicLong::get).sum() >= 9);

    assertThat(SPAWNED.get("admin").get()).isEqualTo(1);
    assertThat(SPAWNED.get("heavy").get()).isEqualTo(6);
    assertThat(SPAWNED.get("light").get()).isEqualTo(2);
  }

  @Test
  void countsExceptionsThrownByTasksWithoutRecordingThemAsRequests() throws Exception {
    EXPLODED.set(0);
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(BrokenTaskUser.class)).users(2)
        .spawnRate(100).build(), () -> EXPLODED.get() >= 5);

    assertThat(outcome.summary().total().count()).isZero();
    assertThat(outcome.taskErrors()).containsOnlyKeys("BrokenTaskUser.explode: IllegalArgumentException: scenario bug");
    assertThat(outcome.taskErrors().values().iterator().next()).isPositive();
  }

  @Test
  void feedsEveryResultToListenersAndHooksExactlyOnce() throws Exception {
    List<RequestResult> received = Collections.synchronizedList(new ArrayList<>());
    AtomicLong hooked = new AtomicLong();
    AtomicLong failedHook = new AtomicLong();
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
    Events events = new Events().onRequest(r -> hooked.incrementAndGet()).onFailure(r -> failedHook.incrementAndGet());
    LoadTest test = LoadTest.builder().userClasses(List.of(MeasuringUser.class)).users(3).spawnRate(100)
        .events(events).tags(Map.of("team", "perf")).listener("collect", listener).build();
    RunOutcome outcome = runUntil(test, () -> recorded(test) >= 50);

    long total = outcome.summary().total().count();
    assertThat(total).isPositive();
    assertThat(received).hasSize((int) total);
    assertThat(received).allSatisfy(r -> assertThat(r.tags()).containsEntry("team", "perf"));
    assertThat(hooked.get()).isEqualTo(total);
    assertThat(failedHook.get()).isEqualTo(outcome.summary().total().failures());
    ListenerDelivery delivery = outcome.deliveries().get(0);
    assertThat(delivery.accepted()).isEqualTo(total);
    assertThat(delivery.dropped()).isZero();
  }

  @Test
  void openModelTimesFromTheIntendedStartAndCountsDroppedIterations() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(SlowUser.class)).users(2).arrivalRate(50)
        .runTime(Duration.ofSeconds(1)).stopTimeout(Duration.ofSeconds(1)).build().run();

    Summary summary = outcome.summary();
    // Two users, each iteration 100 ms: at most ~20 of the 50 iterations can start; the rest are dropped.
    assertThat(summary.droppedIterations()).isGreaterThan(20);
    assertThat(summary.total().count() + summary.droppedIterations()).isBetween(45L, 55L);
    assertThat(summary.total().min()).isGreaterThanOrEqualTo(99.0);
  }

  static final AtomicLong WAITERS_STARTED = new AtomicLong();

  public static class HourWaitUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(3600);
    }

    @Task
    void once() {
      WAITERS_STARTED.incrementAndGet();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void usersWaitingBetweenTasksStopAtOnce() throws Exception {
    WAITERS_STARTED.set(0);
    // A stop timeout this long lets users finish on their own: only the wake-up at stop ends their
    // hour-long wait before it (an interrupt comes only once the stop timeout is over).
    Duration stopTimeout = Duration.ofSeconds(90);
    LoadTest test = LoadTest.builder().userClasses(List.of(HourWaitUser.class)).users(50).spawnRate(1000)
        .stopTimeout(stopTimeout).build();

    long start = System.nanoTime();
    runUntil(test, () -> WAITERS_STARTED.get() >= 50);
    long tookNanos = System.nanoTime() - start;

    assertThat(WAITERS_STARTED.get()).isEqualTo(50);
    assertThat(Duration.ofNanos(tookNanos)).isLessThan(stopTimeout.minus(DEADLINE));
    assertThat(test.activeUsers()).isZero();
  }

  static final Map<String, AtomicLong> LOOPS_SEEN = new ConcurrentHashMap<>();

  public static class LoopReportingUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void report() throws InterruptedException {
      // Longer than the open-model test's arrival spacing, so that iterations overlap there.
      Thread.sleep(30);
      dev.stampede.carrier.CarrierLoop loop = dev.stampede.carrier.CarrierLoop.current();
      LOOPS_SEEN.computeIfAbsent(String.valueOf(loop), k -> new AtomicLong()).incrementAndGet();
    }
  }

  @Test
  void closedModelUsersAreSpreadOverTheRunsCarrierThreads() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.stampede.carrier.UserThreads.available(), "carrier loops");
    LOOPS_SEEN.clear();
    LoadTest test = LoadTest.builder().userClasses(List.of(LoopReportingUser.class)).users(6).spawnRate(1000)
        .carrierThreads(3).build();

    runUntil(test, () -> LOOPS_SEEN.size() >= 3 && LOOPS_SEEN.values().stream().allMatch(n -> n.get() >= 2));

    assertThat(LOOPS_SEEN.keySet())
        .containsExactlyInAnyOrder("stampede-carrier-0", "stampede-carrier-1", "stampede-carrier-2");
  }

  @Test
  void openModelIterationsRunOnCarrierThreadsToo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.stampede.carrier.UserThreads.available(), "carrier loops");
    // 40/s is an arrival every 25 ms: with 30 ms iterations a second pooled user (on loop 1) is needed.
    LOOPS_SEEN.clear();
    LoadTest.builder().userClasses(List.of(LoopReportingUser.class)).users(4).arrivalRate(40)
        .runTime(Duration.ofSeconds(1)).carrierThreads(2).build().run();

    assertThat(LOOPS_SEEN.keySet()).containsExactlyInAnyOrder("stampede-carrier-0", "stampede-carrier-1");
  }

  public static class SlowUser extends User {
    @Task
    void slow() throws Exception {
      measure("slow", () -> {
        Thread.sleep(100);
        return null;
      });
    }
  }

  public static class FailingHttpUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void fail() {
      http().get("/fail?id=7", o -> o.name("/fail"));
    }
  }

  @Test
  void failureHooksGetTheUrlAndTheResponseForDebugging() throws Exception {
    List<dev.stampede.RequestEvent> failures = Collections.synchronizedList(new ArrayList<>());
    try (TestServer server = new TestServer()) {
      runUntil(LoadTest.builder().host(server.baseUrl()).userClasses(List.of(FailingHttpUser.class)).users(1)
          .stopTimeout(Duration.ofSeconds(10)).events(new Events().onFailure(failures::add))
          .httpFactory((host, sink) -> dev.stampede.http.HttpSession.builder()
              .baseUrl(java.net.URI.create(host)).sink(sink).build())
          .build(), () -> failures.size() >= 3);
    }
    assertThat(failures).isNotEmpty().allSatisfy(event -> {
      assertThat(event.url()).endsWith("/fail?id=7");
      assertThat(event.result().name()).isEqualTo("/fail");
      assertThat(event.response().status()).isEqualTo(503);
      assertThat(event.response().text()).isEqualTo("ok");
    });
  }

  static final AtomicLong EXECUTED = new AtomicLong();
  /** Tasks whose measurement finished before this {@link System#nanoTime()}: all within the warm-up. */
  static volatile long surelyWarmingUpUntil;
  static final AtomicLong SURELY_IN_WARMUP = new AtomicLong();

  public static class CountingUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void work() throws Exception {
      EXECUTED.incrementAndGet();
      measure("work", () -> null);
      if (System.nanoTime() - surelyWarmingUpUntil < 0) {
        SURELY_IN_WARMUP.incrementAndGet();
      }
    }
  }

  @Test
  void warmUpLoadIsCountedNowhere() throws Exception {
    Duration warmup = Duration.ofSeconds(1);
    EXECUTED.set(0);
    SURELY_IN_WARMUP.set(0);
    LoadTest test = LoadTest.builder().userClasses(List.of(CountingUser.class)).users(2).spawnRate(100)
        .warmup(warmup).build();
    // The run starts its clock, and so its warm-up, after this moment: whatever finished within the
    // warm-up's length from here finished during the warm-up, however slow this machine is.
    long before = System.nanoTime();
    surelyWarmingUpUntil = before + warmup.toNanos();
    RunOutcome outcome = runUntil(test, () -> recorded(test) >= 20);
    Duration wallTime = Duration.ofNanos(System.nanoTime() - before);

    long counted = outcome.summary().total().count();
    assertThat(counted).isPositive();
    assertThat(SURELY_IN_WARMUP.get()).as("tasks finished during the warm-up").isPositive();
    assertThat(counted).isLessThanOrEqualTo(EXECUTED.get() - SURELY_IN_WARMUP.get());
    // The measured duration starts after the warm-up: it is at most the whole run minus the warm-up.
    assertThat(outcome.summary().duration()).isPositive().isLessThanOrEqualTo(wallTime.minus(warmup));
    // The statistics count from the warm-up's end, not from the run's start.
    assertThat(outcome.summary().statisticsFrom())
        .isAfterOrEqualTo(outcome.summary().run().startedAt().plus(warmup));
  }

  @Test
  void resetStatisticsStartsTheCountsAndTheDurationAfresh() throws Exception {
    EXECUTED.set(0);
    LoadTest test = LoadTest.builder().userClasses(List.of(CountingUser.class)).users(2).spawnRate(100).build();
    AtomicLong executedAtReset = new AtomicLong(-1);
    AtomicLong resetAtNanos = new AtomicLong();
    AtomicLong resetAtMillis = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean reset = new java.util.concurrent.atomic.AtomicBoolean();
    RunOutcome outcome = runUntil(test, () -> {
      if (executedAtReset.get() < 0) {
        if (recorded(test) >= 20) {
          resetAtNanos.set(System.nanoTime());
          resetAtMillis.set(System.currentTimeMillis());
          executedAtReset.set(EXECUTED.get());
          reset.set(test.resetStatistics());
        }
        return false;
      }
      return recorded(test) >= 5;
    });
    long endNanos = System.nanoTime();

    assertThat(reset).isTrue();
    long counted = outcome.summary().total().count();
    assertThat(counted).isGreaterThanOrEqualTo(5);
    // Only what ran after the reset counts; each of the 2 users may have had one task in flight.
    assertThat(counted).isLessThanOrEqualTo(EXECUTED.get() - executedAtReset.get() + 2);
    assertThat(outcome.summary().duration()).isLessThanOrEqualTo(Duration.ofNanos(endNanos - resetAtNanos.get()));
    // The result says from when its statistics count: the reset, not the run's start.
    assertThat(outcome.summary().statisticsFrom().toEpochMilli())
        .isGreaterThanOrEqualTo(resetAtMillis.get())
        .isGreaterThan(outcome.summary().run().startedAt().toEpochMilli());
    assertThat(test.resetStatistics()).as("after the run").isFalse();
  }

  @Test
  void interruptInAUserTaskIsHarmless() throws Exception {
    LEFT.set(0);
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(TaskSetUser.class)).users(1).spawnRate(1)
        .build(), () -> LEFT.get() >= 3);

    assertThat(LEFT.get()).as("task sets interrupted").isGreaterThanOrEqualTo(3);
    assertThat(outcome.taskErrors()).isEmpty();
  }

  public static class TaskSetUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void enter() {
      run(new InterruptingSet());
    }
  }
}
