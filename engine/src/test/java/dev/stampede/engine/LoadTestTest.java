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
import org.junit.jupiter.api.Test;

class LoadTestTest {

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

  public static class BrokenTaskUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void explode() {
      throw new IllegalArgumentException("scenario bug");
    }
  }

  public static class InterruptingSet extends TaskSet {
    @Task
    void leave() {
      interrupt();
    }
  }

  @Test
  void sequentialTaskSetRunsTasksInDeclarationOrderUntilInterrupted() {
    SEQUENCE.clear();
    LoadTest.builder().userClasses(List.of(SequenceUser.class)).users(1).spawnRate(1)
        .runTime(Duration.ofMillis(300)).build().run();

    assertThat(SEQUENCE).hasSizeGreaterThan(30);
    for (int i = 0; i + 2 < SEQUENCE.size(); i += 3) {
      assertThat(SEQUENCE.subList(i, i + 3)).containsExactly("third", "first", "second");
    }
  }

  @Test
  void countsMeasuredWorkAndFailuresPerName() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(MeasuringUser.class)).users(4).spawnRate(100)
        .runTime(Duration.ofMillis(700)).build().run();

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
  void spawnsFixedCountUsersFirstAndTheRestByWeight() {
    SPAWNED.clear();
    LoadTest.builder().userClasses(List.of(HeavyUser.class, LightUser.class, AdminUser.class)).users(9)
        .spawnRate(1000).runTime(Duration.ofMillis(400)).build().run();

    assertThat(SPAWNED.get("admin").get()).isEqualTo(1);
    assertThat(SPAWNED.get("heavy").get()).isEqualTo(6);
    assertThat(SPAWNED.get("light").get()).isEqualTo(2);
  }

  @Test
  void countsExceptionsThrownByTasksWithoutRecordingThemAsRequests() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(BrokenTaskUser.class)).users(2).spawnRate(100)
        .runTime(Duration.ofMillis(300)).build().run();

    assertThat(outcome.summary().total().count()).isZero();
    assertThat(outcome.taskErrors()).containsOnlyKeys("BrokenTaskUser.explode: IllegalArgumentException: scenario bug");
    assertThat(outcome.taskErrors().values().iterator().next()).isPositive();
  }

  @Test
  void feedsEveryResultToListenersAndHooksExactlyOnce() {
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
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(MeasuringUser.class)).users(3).spawnRate(100)
        .runTime(Duration.ofMillis(500)).events(events).tags(Map.of("team", "perf")).listener("collect", listener)
        .build().run();

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
      LoadTest.builder().host(server.baseUrl()).userClasses(List.of(FailingHttpUser.class)).users(1)
          .runTime(Duration.ofMillis(300)).stopTimeout(Duration.ofSeconds(10)).events(new Events().onFailure(failures::add))
          .httpFactory((host, sink) -> dev.stampede.http.HttpSession.builder()
              .baseUrl(java.net.URI.create(host)).sink(sink).build())
          .build().run();
    }
    assertThat(failures).isNotEmpty().allSatisfy(event -> {
      assertThat(event.url()).endsWith("/fail?id=7");
      assertThat(event.result().name()).isEqualTo("/fail");
      assertThat(event.response().status()).isEqualTo(503);
      assertThat(event.response().text()).isEqualTo("ok");
    });
  }

  static final AtomicLong EXECUTED = new AtomicLong();

  public static class CountingUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.01);
    }

    @Task
    void work() throws Exception {
      EXECUTED.incrementAndGet();
      measure("work", () -> null);
    }
  }

  @Test
  void warmUpLoadIsCountedNowhere() {
    EXECUTED.set(0);
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(CountingUser.class)).users(2).spawnRate(100)
        .warmup(Duration.ofMillis(400)).runTime(Duration.ofMillis(400)).build().run();

    long counted = outcome.summary().total().count();
    assertThat(counted).isPositive();
    // About half of the executed tasks ran during the warm-up.
    assertThat(counted).isLessThan(EXECUTED.get() * 3 / 4);
    // The measured duration starts after the warm-up: it is shorter than warm-up plus run time.
    assertThat(outcome.summary().duration()).isLessThan(Duration.ofMillis(800));
  }

  @Test
  void interruptInAUserTaskIsHarmless() {
    RunOutcome outcome = LoadTest.builder().userClasses(List.of(TaskSetUser.class)).users(1).spawnRate(1)
        .runTime(Duration.ofMillis(200)).build().run();

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
