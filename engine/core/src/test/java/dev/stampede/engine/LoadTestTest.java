package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Runs of the engine with users that report what they did. Every test gives its users its own
 * state through {@link LoadTest.Builder#userFactory}: no static counters, so tests do not depend on
 * each other's leftovers and the class could run its tests in parallel.
 */
class LoadTestTest {

  /**
   * The longest a run may take to do what a test checks. Runs are stopped as soon as it is done, so
   * this only bounds a run that never gets there, which then fails.
   */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /**
   * Runs {@code test} until {@code done} holds or the run ends by itself, then stops it. A run of
   * fixed wall-clock length may do nothing at all on a slow or busy machine (a cold JVM spawning its
   * first virtual threads); this one lasts as long as the work takes, up to {@link #DEADLINE}.
   */
  static RunOutcome runUntil(LoadTest test, BooleanSupplier done) throws InterruptedException {
    FutureTask<RunOutcome> run = new FutureTask<>(test::run);
    Thread runner = Thread.ofPlatform().daemon().name("test-run").start(run);
    try {
      await("the run to do what the test checks").atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
          .until(() -> done.getAsBoolean() || run.isDone());
    } finally {
      test.stop();
    }
    try {
      return run.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw new AssertionError("the run failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the run did not end within " + DEADLINE + " of its stop", e);
    } finally {
      runner.join(DEADLINE.toMillis());
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

  static class SequenceUser extends User {
    private final List<String> sequence;
    private final boolean explicitOrder;

    SequenceUser(List<String> sequence, boolean explicitOrder) {
      this.sequence = sequence;
      this.explicitOrder = explicitOrder;
    }

    @Task
    void flow() {
      run(explicitOrder ? new OrderedSteps(sequence) : new Steps(sequence));
    }
  }

  /** Steps recorded in the order they ran; interrupts itself after 33 steps. */
  static class Steps extends SequentialTaskSet {
    final List<String> sequence;

    Steps(List<String> sequence) {
      this.sequence = sequence;
    }

    @Task(50)
    void third() {
      sequence.add("third");
    }

    @Task
    void first() {
      sequence.add("first");
    }

    @Task
    void second() {
      sequence.add("second");
      if (sequence.size() > 30) {
        interrupt();
      }
    }
  }

  /** The same steps, ordered explicitly against their source order. */
  static class OrderedSteps extends SequentialTaskSet {
    final List<String> sequence;

    OrderedSteps(List<String> sequence) {
      this.sequence = sequence;
    }

    @Task(order = 30)
    void last() {
      sequence.add("last");
      if (sequence.size() > 30) {
        interrupt();
      }
    }

    @Task(order = 10)
    void first() {
      sequence.add("first");
    }

    @Task(order = 20)
    void middle() {
      sequence.add("middle");
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

  /** Counts its starts per class in its test's map. */
  abstract static class SpawnCountingUser extends User {
    private final Map<Class<?>, AtomicLong> spawned;

    SpawnCountingUser(Map<Class<?>, AtomicLong> spawned) {
      this.spawned = spawned;
    }

    @Override
    protected void onStart() {
      spawned.computeIfAbsent(getClass(), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.05);
    }

    @Task
    void idle() {}
  }

  @Weight(3)
  static class HeavyUser extends SpawnCountingUser {
    HeavyUser(Map<Class<?>, AtomicLong> spawned) {
      super(spawned);
    }
  }

  static class LightUser extends SpawnCountingUser {
    LightUser(Map<Class<?>, AtomicLong> spawned) {
      super(spawned);
    }
  }

  @FixedCount(1)
  static class AdminUser extends SpawnCountingUser {
    AdminUser(Map<Class<?>, AtomicLong> spawned) {
      super(spawned);
    }
  }

  static class BrokenTaskUser extends User {
    private final AtomicLong exploded;

    BrokenTaskUser(AtomicLong exploded) {
      this.exploded = exploded;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void explode() {
      exploded.incrementAndGet();
      throw new IllegalArgumentException("scenario bug");
    }
  }

  /** Orders one task and not the other: a configuration error, found when the set first runs. */
  static class HalfOrderedSteps extends SequentialTaskSet {
    @Task(order = 1)
    void first() {}

    @Task
    void second() {}
  }

  static class HalfOrderedUser extends User {
    private final AtomicLong tries;

    HalfOrderedUser(AtomicLong tries) {
      this.tries = tries;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void flow() {
      tries.incrementAndGet();
      run(new HalfOrderedSteps());
    }
  }

  static class InterruptingSet extends TaskSet {
    private final AtomicLong left;

    InterruptingSet(AtomicLong left) {
      this.left = left;
    }

    @Task
    void leave() {
      left.incrementAndGet();
      interrupt();
    }
  }

  static class TaskSetUser extends User {
    private final AtomicLong left;

    TaskSetUser(AtomicLong left) {
      this.left = left;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void enter() {
      run(new InterruptingSet(left));
    }
  }

  @Test
  void sequentialTaskSetRunsTasksInClassFileOrderWhenNoTaskGivesAnOrder() throws Exception {
    assertRunsInRounds(false, "third", "first", "second");
  }

  @Test
  void sequentialTaskSetRunsTasksInTheirExplicitOrderUntilInterrupted() throws Exception {
    assertRunsInRounds(true, "first", "middle", "last");
  }

  /** Runs one {@link SequenceUser} and checks that its steps came in rounds of {@code round}. */
  private static void assertRunsInRounds(boolean explicitOrder, String... round) throws InterruptedException {
    List<String> sequence = Collections.synchronizedList(new ArrayList<>());
    // The set interrupts itself after 33 steps; 36 include a fresh set started after the interrupt.
    runUntil(LoadTest.builder().userClasses(List.of(SequenceUser.class)).users(1).spawnRate(1)
        .userFactory(type -> new SequenceUser(sequence, explicitOrder)).build(), () -> sequence.size() >= 36);

    List<String> steps = List.copyOf(sequence);
    assertThat(steps).hasSizeGreaterThanOrEqualTo(36);
    for (int i = 0; i + round.length <= steps.size(); i += round.length) {
      assertThat(steps.subList(i, i + round.length)).containsExactly(round);
    }
  }

  @Test
  void aSequentialSetThatOrdersOnlySomeTasksIsReportedAsOneLineNamingTheClassAndMethods() throws Exception {
    AtomicLong tries = new AtomicLong();
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(HalfOrderedUser.class)).users(1)
        .spawnRate(1).userFactory(type -> new HalfOrderedUser(tries)).build(), () -> tries.get() >= 3);

    assertThat(outcome.taskErrors()).containsOnlyKeys("HalfOrderedUser.flow: IllegalArgumentException: @Task order"
        + " must be given to every task of " + HalfOrderedSteps.class.getName() + " or to none; with an order: first;"
        + " without: second");
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
    Map<Class<?>, AtomicLong> spawned = new ConcurrentHashMap<>();
    runUntil(LoadTest.builder().userClasses(List.of(HeavyUser.class, LightUser.class, AdminUser.class)).users(9)
        .spawnRate(1000).userFactory(type -> {
          if (type == HeavyUser.class) {
            return new HeavyUser(spawned);
          }
          return type == LightUser.class ? new LightUser(spawned) : new AdminUser(spawned);
        }).build(), () -> spawned.values().stream().mapToLong(AtomicLong::get).sum() >= 9);

    assertThat(spawned.get(AdminUser.class).get()).isEqualTo(1);
    assertThat(spawned.get(HeavyUser.class).get()).isEqualTo(6);
    assertThat(spawned.get(LightUser.class).get()).isEqualTo(2);
  }

  @Test
  void countsExceptionsThrownByTasksWithoutRecordingThemAsRequests() throws Exception {
    AtomicLong exploded = new AtomicLong();
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(BrokenTaskUser.class)).users(2)
        .spawnRate(100).userFactory(type -> new BrokenTaskUser(exploded)).build(), () -> exploded.get() >= 5);

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
  void statisticsCountFromTheLoadsStart_afterASlowListenerStart() throws Exception {
    Duration listenerStart = Duration.ofMillis(600);
    Listener slowToStart = new Listener() {
      @Override
      public void onStart(RunInfo run) {
        try {
          Thread.sleep(listenerStart); // a listener whose client takes this long to start
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void onResults(List<RequestResult> batch) {}

      @Override
      public void onStop(Summary summary) {}
    };
    LoadTest test = LoadTest.builder().userClasses(List.of(MeasuringUser.class)).users(2).spawnRate(100)
        .runTime(Duration.ofSeconds(1)).listener("slow", slowToStart).build();
    RunOutcome outcome = test.run();
    java.time.Instant returned = java.time.Instant.now();

    Summary summary = outcome.summary();
    assertThat(summary.statisticsFrom()).as("after the listener started")
        .isAfterOrEqualTo(summary.run().startedAt().plus(listenerStart));
    // statistics_from plus the duration is when the load ended, not a listener start earlier.
    java.time.Instant end = summary.statisticsFrom().plus(summary.duration());
    assertThat(end).isBeforeOrEqualTo(returned.plusMillis(1))
        .isAfterOrEqualTo(summary.run().startedAt().plus(listenerStart).plus(Duration.ofSeconds(1)));
  }

  @Test
  void aStepListenerPublishesTheEnginesExactCountsInWholeSecondSteps() {
    List<dev.stampede.stats.IntervalStats> steps = Collections.synchronizedList(new ArrayList<>());
    AtomicLong resultsSeen = new AtomicLong();
    Listener stepListener = new dev.stampede.listener.StepListener(Duration.ofSeconds(1), 100,
        java.time.Clock.systemUTC()) {
      @Override
      protected void start(RunInfo run) {}

      @Override
      protected void publish(dev.stampede.stats.IntervalStats step) {
        steps.add(step);
      }

      @Override
      public void onResults(List<RequestResult> batch) {
        resultsSeen.addAndGet(batch.size());
      }

      @Override
      protected void stop(Summary summary) {}
    };
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(MeasuringUser.class)).users(2).spawnRate(100)
        .runTime(Duration.ofMillis(2_500)).listener("steps", stepListener).build().run();

    Summary summary = outcome.summary();
    assertThat(summary.total().count()).isPositive();
    assertThat(resultsSeen.get()).as("fed intervals, never results").isZero();
    assertThat(steps.stream().mapToLong(step -> step.total().count()).sum()).isEqualTo(summary.total().count());
    assertThat(steps.stream().mapToLong(step -> step.total().failures()).sum()).isEqualTo(summary.total().failures());
    // Whole seconds of the wall clock, in order; only the last step is cut short by the stop. (A
    // step may hold two seconds if the ticker was held up past a second, on a busy machine.)
    assertThat(steps).hasSizeGreaterThanOrEqualTo(2);
    for (int i = 0; i < steps.size(); i++) {
      dev.stampede.stats.IntervalStats step = steps.get(i);
      assertThat(step.startMillis() % 1_000).isZero();
      if (i < steps.size() - 1) {
        assertThat(step.endMillis() % 1_000).isZero();
        assertThat(step.endMillis()).isGreaterThan(step.startMillis());
        assertThat(steps.get(i + 1).startMillis()).isGreaterThanOrEqualTo(step.endMillis());
      }
    }
    assertThat(outcome.deliveries()).singleElement().satisfies(delivery -> {
      assertThat(delivery.accepted()).isEqualTo(summary.total().count());
      assertThat(delivery.dropped()).isZero();
    });
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

  static class HourWaitUser extends User {
    private final AtomicLong started;

    HourWaitUser(AtomicLong started) {
      this.started = started;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(3600);
    }

    @Task
    void once() {
      started.incrementAndGet();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void usersWaitingBetweenTasksStopAtOnce() throws Exception {
    AtomicLong started = new AtomicLong();
    // A stop timeout this long lets users finish on their own: only the wake-up at stop ends their
    // hour-long wait before it (an interrupt comes only once the stop timeout is over).
    Duration stopTimeout = Duration.ofSeconds(90);
    LoadTest test = LoadTest.builder().userClasses(List.of(HourWaitUser.class)).users(50).spawnRate(1000)
        .stopTimeout(stopTimeout).userFactory(type -> new HourWaitUser(started)).build();

    long start = System.nanoTime();
    runUntil(test, () -> started.get() >= 50);
    long tookNanos = System.nanoTime() - start;

    assertThat(started.get()).isEqualTo(50);
    assertThat(Duration.ofNanos(tookNanos)).isLessThan(stopTimeout.minus(DEADLINE));
    assertThat(test.activeUsers()).isZero();
  }

  static class LoopReportingUser extends User {
    private final Map<String, AtomicLong> loopsSeen;

    LoopReportingUser(Map<String, AtomicLong> loopsSeen) {
      this.loopsSeen = loopsSeen;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void report() throws InterruptedException {
      // The stimulus, not a wait for something: longer than the open-model test's arrival spacing,
      // so that iterations overlap there.
      Thread.sleep(30);
      dev.stampede.carrier.CarrierLoop loop = dev.stampede.carrier.CarrierLoop.current();
      loopsSeen.computeIfAbsent(String.valueOf(loop), k -> new AtomicLong()).incrementAndGet();
    }
  }

  @Test
  void closedModelUsersAreSpreadOverTheRunsCarrierThreads() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.stampede.carrier.UserThreads.available(), "carrier loops");
    Map<String, AtomicLong> loopsSeen = new ConcurrentHashMap<>();
    LoadTest test = LoadTest.builder().userClasses(List.of(LoopReportingUser.class)).users(6).spawnRate(1000)
        .carrierThreads(3).userFactory(type -> new LoopReportingUser(loopsSeen)).build();

    runUntil(test, () -> loopsSeen.size() >= 3 && loopsSeen.values().stream().allMatch(n -> n.get() >= 2));

    assertThat(loopsSeen.keySet())
        .containsExactlyInAnyOrder("stampede-carrier-0", "stampede-carrier-1", "stampede-carrier-2");
  }

  @Test
  void openModelIterationsRunOnCarrierThreadsToo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.stampede.carrier.UserThreads.available(), "carrier loops");
    // 40/s is an arrival every 25 ms: with 30 ms iterations a second pooled user (on loop 1) is needed.
    Map<String, AtomicLong> loopsSeen = new ConcurrentHashMap<>();
    LoadTest.builder().userClasses(List.of(LoopReportingUser.class)).users(4).arrivalRate(40)
        .runTime(Duration.ofSeconds(1)).carrierThreads(2).userFactory(type -> new LoopReportingUser(loopsSeen))
        .build().run();

    assertThat(loopsSeen.keySet()).containsExactlyInAnyOrder("stampede-carrier-0", "stampede-carrier-1");
  }

  public static class SlowUser extends User {
    @Task
    void slow() throws Exception {
      measure("slow", () -> {
        // The stimulus: an iteration that takes 100 ms, longer than the arrival spacing.
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

  /** What one test's {@link CountingUser}s did. */
  static final class WorkCounts {
    final AtomicLong executed = new AtomicLong();
    /** Tasks whose measurement finished before this {@link System#nanoTime()}: all within the warm-up. */
    volatile long surelyWarmingUpUntil = System.nanoTime();
    final AtomicLong surelyInWarmup = new AtomicLong();
  }

  static class CountingUser extends User {
    private final WorkCounts counts;

    CountingUser(WorkCounts counts) {
      this.counts = counts;
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void work() throws Exception {
      counts.executed.incrementAndGet();
      measure("work", () -> null);
      if (System.nanoTime() - counts.surelyWarmingUpUntil < 0) {
        counts.surelyInWarmup.incrementAndGet();
      }
    }
  }

  @Test
  void warmUpLoadIsCountedNowhere() throws Exception {
    Duration warmup = Duration.ofSeconds(1);
    WorkCounts counts = new WorkCounts();
    LoadTest test = LoadTest.builder().userClasses(List.of(CountingUser.class)).users(2).spawnRate(100)
        .warmup(warmup).userFactory(type -> new CountingUser(counts)).build();
    // The run starts its clock, and so its warm-up, after this moment: whatever finished within the
    // warm-up's length from here finished during the warm-up, however slow this machine is.
    long before = System.nanoTime();
    counts.surelyWarmingUpUntil = before + warmup.toNanos();
    RunOutcome outcome = runUntil(test, () -> recorded(test) >= 20);
    Duration wallTime = Duration.ofNanos(System.nanoTime() - before);

    long counted = outcome.summary().total().count();
    assertThat(counted).isPositive();
    assertThat(counts.surelyInWarmup.get()).as("tasks finished during the warm-up").isPositive();
    assertThat(counted).isLessThanOrEqualTo(counts.executed.get() - counts.surelyInWarmup.get());
    // The measured duration starts after the warm-up: it is at most the whole run minus the warm-up.
    assertThat(outcome.summary().duration()).isPositive().isLessThanOrEqualTo(wallTime.minus(warmup));
    // The statistics count from the warm-up's end, not from the run's start.
    assertThat(outcome.summary().statisticsFrom())
        .isAfterOrEqualTo(outcome.summary().run().startedAt().plus(warmup));
  }

  @Test
  void resetStatisticsStartsTheCountsAndTheDurationAfresh() throws Exception {
    WorkCounts counts = new WorkCounts();
    LoadTest test = LoadTest.builder().userClasses(List.of(CountingUser.class)).users(2).spawnRate(100)
        .userFactory(type -> new CountingUser(counts)).build();
    AtomicLong executedAtReset = new AtomicLong(-1);
    AtomicLong resetAtNanos = new AtomicLong();
    AtomicLong resetAtMillis = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean reset = new java.util.concurrent.atomic.AtomicBoolean();
    RunOutcome outcome = runUntil(test, () -> {
      if (executedAtReset.get() < 0) {
        if (recorded(test) >= 20) {
          resetAtNanos.set(System.nanoTime());
          resetAtMillis.set(System.currentTimeMillis());
          executedAtReset.set(counts.executed.get());
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
    assertThat(counted).isLessThanOrEqualTo(counts.executed.get() - executedAtReset.get() + 2);
    assertThat(outcome.summary().duration()).isLessThanOrEqualTo(Duration.ofNanos(endNanos - resetAtNanos.get()));
    // The result says from when its statistics count: the reset, not the run's start.
    assertThat(outcome.summary().statisticsFrom().toEpochMilli())
        .isGreaterThanOrEqualTo(resetAtMillis.get())
        .isGreaterThan(outcome.summary().run().startedAt().toEpochMilli());
    assertThat(test.resetStatistics()).as("after the run").isFalse();
  }

  @Test
  void interruptInAUserTaskIsHarmless() throws Exception {
    AtomicLong left = new AtomicLong();
    RunOutcome outcome = runUntil(LoadTest.builder().userClasses(List.of(TaskSetUser.class)).users(1).spawnRate(1)
        .userFactory(type -> new TaskSetUser(left)).build(), () -> left.get() >= 3);

    assertThat(left.get()).as("task sets interrupted").isGreaterThanOrEqualTo(3);
    assertThat(outcome.taskErrors()).isEmpty();
  }
}
