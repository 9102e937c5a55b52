package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Shard;
import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.stats.EndpointHistogram;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Each test hands its users their sets through {@link LoadTest.Builder#userFactory}: no static state. */
class LoadTestShardTest {

  public static class ShardReadingUser extends User {
    private final Set<Shard> seen;
    private final Set<Integer> started;

    ShardReadingUser(Set<Shard> seen, Set<Integer> started) {
      this.seen = seen;
      this.started = started;
    }

    /** A user for a test that does not look at what users saw. */
    static ShardReadingUser unobserved() {
      return new ShardReadingUser(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    }

    @Override
    protected void onStart() {
      seen.add(shard());
      started.add(userIndex());
    }

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.005);
    }

    @Task
    void work() throws Exception {
      measure("work", () -> 1);
    }
  }

  @Test
  void aShardRunsItsPartOfTheUsersAndTheyReadTheirShard() throws Exception {
    Set<Shard> seen = ConcurrentHashMap.newKeySet();
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    LoadTest test = LoadTest.builder().userClasses(List.of(ShardReadingUser.class)).users(10).spawnRate(100)
        .shard(new Shard(1, 3)).userFactory(type -> new ShardReadingUser(seen, started)).build();

    RunOutcome outcome = LoadTestTest.runUntil(test, () -> started.size() >= 3 && LoadTestTest.recorded(test) > 10);

    assertThat(started).hasSize(3);
    assertThat(outcome.summary().peakUsers()).isEqualTo(3);
    assertThat(seen).containsExactly(new Shard(1, 3));
  }

  @Test
  void theOutcomeCarriesTheWholeRunsHistogramsMatchingItsCounts() throws Exception {
    LoadTest test = LoadTest.builder().userClasses(List.of(ShardReadingUser.class)).users(2).spawnRate(100)
        .userFactory(type -> ShardReadingUser.unobserved()).build();

    RunOutcome outcome = LoadTestTest.runUntil(test, () -> LoadTestTest.recorded(test) > 20);

    EndpointHistogram total = outcome.histograms().total();
    assertThat(total.count()).isEqualTo(outcome.summary().total().count());
    assertThat(total.micros().getTotalCount()).isEqualTo(total.count());
    assertThat(outcome.histograms().endpoints()).singleElement()
        .satisfies(e -> assertThat(e.key()).isEqualTo("custom work"));
    assertThat(total.toStats(outcome.summary().duration().toNanos() / 1e9).percentiles())
        .isEqualTo(outcome.summary().total().percentiles());
  }

  @Test
  void countsStatisticsFromTheEndOfTheStartGate() throws Exception {
    AtomicReference<Instant> released = new AtomicReference<>();
    LoadTest test = LoadTest.builder().userClasses(List.of(ShardReadingUser.class)).users(1)
        .userFactory(type -> ShardReadingUser.unobserved())
        .startGate(() -> {
          try {
            Thread.sleep(300); // the stimulus: a start gate that holds the run for 300 ms
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          released.set(Instant.now());
        }).build();

    RunOutcome outcome = LoadTestTest.runUntil(test, () -> LoadTestTest.recorded(test) > 5);

    assertThat(outcome.summary().statisticsFrom()).isAfterOrEqualTo(released.get().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(outcome.summary().statisticsFrom()).isAfterOrEqualTo(outcome.summary().run().startedAt().plusMillis(300));
  }

  @Test
  void aStartGateThatThrowsStopsTheListenersAndSendsNothing() {
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicLong results = new AtomicLong();
    Listener listener = new Listener() {
      @Override
      public void onStart(RunInfo run) {}

      @Override
      public void onResults(List<RequestResult> batch) {
        results.addAndGet(batch.size());
      }

      @Override
      public void onStop(Summary summary) {
        stopped.set(true);
      }

      @Override
      public void close() {}
    };
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    LoadTest test = LoadTest.builder().userClasses(List.of(ShardReadingUser.class)).users(1)
        .userFactory(type -> new ShardReadingUser(ConcurrentHashMap.newKeySet(), started))
        .listener("probe", listener)
        .startGate(() -> {
          throw new IllegalStateException("too late");
        }).build();

    assertThatThrownBy(test::run).hasMessage("too late");
    assertThat(stopped).isTrue();
    assertThat(results).hasValue(0);
    assertThat(started).isEmpty();
  }
}
