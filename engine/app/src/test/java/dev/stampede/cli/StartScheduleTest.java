package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Shard;
import dev.stampede.store.DirectoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartScheduleTest {

  @TempDir
  Path dir;

  final Clock clock = Clock.systemUTC();

  @Test
  void waitsForTheInstantAndRecordsTheSkew() {
    Instant startAt = clock.instant().plusMillis(300);
    StartSchedule schedule = new StartSchedule(startAt, Duration.ofSeconds(2), false, new Shard(0, 2), clock, null, "r");

    schedule.await();

    assertThat(clock.instant()).isAfterOrEqualTo(startAt);
    assertThat(schedule.skew().isNegative()).isFalse();
  }

  @Test
  void aShardReadyLaterThanTheToleranceThrowsLateStartNamingIt() {
    Instant startAt = clock.instant().minusSeconds(5);
    StartSchedule schedule = new StartSchedule(startAt, Duration.ofSeconds(2), false, new Shard(2, 3), clock, null, "r");

    assertThatThrownBy(schedule::await).isInstanceOf(LateStartException.class)
        .hasMessageStartingWith("shard 2/3 was ready 5.")
        .hasMessageContaining("later than --start-tolerance 2.000s allows; it sent no load (--join-late starts it anyway)");
    assertThat(schedule.skew()).isNull();
  }

  @Test
  void aLateShardWithinTheToleranceStartsAndRecordsItsLateness() {
    Instant startAt = clock.instant().minusMillis(500);
    StartSchedule schedule = new StartSchedule(startAt, Duration.ofSeconds(2), false, Shard.WHOLE, clock, null, "r");

    schedule.await();

    assertThat(schedule.skew()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aLateShardJoinsWhenAllowed() {
    Instant startAt = clock.instant().minusSeconds(10);
    StartSchedule schedule = new StartSchedule(startAt, Duration.ofSeconds(2), true, Shard.WHOLE, clock, null, "r");

    schedule.await();

    assertThat(schedule.skew()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theBarrierReleasesEveryShardOnceAllAreReady() {
    DirectoryStore store = new DirectoryStore(dir);
    Instant startAt = clock.instant().plusSeconds(3);
    StartSchedule first = new StartSchedule(startAt, Duration.ofSeconds(2), false, new Shard(0, 2), clock, store, "r");
    StartSchedule second = new StartSchedule(startAt, Duration.ofSeconds(2), false, new Shard(1, 2), clock, store, "r");

    CompletableFuture<Void> a = CompletableFuture.runAsync(first::await);
    second.await();
    a.join();

    assertThat(first.skew()).isNotNull();
    assertThat(second.skew()).isNotNull();
  }

  @Test
  void theBarrierFailsClearlyWhenAShardNeverComes() {
    DirectoryStore store = new DirectoryStore(dir);
    Instant startAt = clock.instant().plusMillis(300);
    StartSchedule schedule = new StartSchedule(startAt, Duration.ofMillis(500), false, new Shard(1, 3), clock, store, "r");

    assertThatThrownBy(schedule::await).isInstanceOf(CannotRunException.class)
        .hasMessage("shard 1/3: 2 of 3 shards were not ready within --start-tolerance of the start instant " + startAt
            + " (missing: [0, 2]); no load was sent");
  }

  @Test
  void readsRfc3339AndEpochSeconds() {
    assertThat(ShardOptions.parseInstant("2026-12-01T10:00:00Z")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    assertThat(ShardOptions.parseInstant("2026-12-01T11:00:00+01:00")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    assertThat(ShardOptions.parseInstant("1764583200.25")).isEqualTo(Instant.ofEpochSecond(1764583200L, 250_000_000));
  }

  @Test
  void readsTheShardFromAnIndexedJobsEnvironment() {
    ShardOptions options = new ShardOptions();
    assertThat(options.shard(java.util.Map.of("JOB_COMPLETION_INDEX", "2", "STAMPEDE_SHARDS", "3")))
        .isEqualTo(new Shard(2, 3));
    assertThat(options.shard(java.util.Map.of("JOB_COMPLETION_INDEX", "2"))).isEqualTo(Shard.WHOLE);
    assertThatThrownBy(() -> options.shard(java.util.Map.of("STAMPEDE_SHARDS", "3")))
        .hasMessage("STAMPEDE_SHARDS=3 is set but JOB_COMPLETION_INDEX is not (give --shard I/N)");
    options.shard = "1/4";
    assertThat(options.shard(java.util.Map.of("JOB_COMPLETION_INDEX", "2", "STAMPEDE_SHARDS", "3")))
        .isEqualTo(new Shard(1, 4));
  }

  @Test
  void cancelEndsTheWaitForAFarInstantAtOnceAndSendsNoLoad() throws Exception {
    Instant startAt = clock.instant().plus(Duration.ofHours(1));
    StartSchedule schedule = new StartSchedule(startAt, Duration.ofSeconds(2), false, new Shard(1, 2), clock, null, "r");
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(schedule::await);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> java.util.Arrays.stream(Thread.getAllStackTraces().keySet().toArray(Thread[]::new))
            .anyMatch(t -> java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("waitUntil"))));

    schedule.cancel();

    assertThatThrownBy(() -> waiting.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(StartCancelledException.class)
        .hasMessageContaining("interrupted while shard 1/2 waited for the start instant " + startAt + "; no load was sent");
    assertThat(schedule.skew()).isNull();
  }

  @Test
  void aCancelBeforeTheWaitMakesItEndAtOnce() {
    StartSchedule schedule = new StartSchedule(clock.instant().plusSeconds(3600), Duration.ofSeconds(2), false,
        Shard.WHOLE, clock, null, "r");

    schedule.cancel();

    assertThatThrownBy(schedule::await).isInstanceOf(StartCancelledException.class);
  }
}
