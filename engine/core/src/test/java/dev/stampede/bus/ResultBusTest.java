package dev.stampede.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.EndpointStats;
import dev.stampede.Listener;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResultBusTest {

  private static final RunInfo RUN = new RunInfo("r", "i", "", "s", Map.of(), Instant.EPOCH);

  private static RequestResult result() {
    return new RequestResult(0, "GET", "/", 1_000, 0, 200, null, Map.of());
  }

  private static Summary summary() {
    EndpointStats total = new EndpointStats("", "Aggregated", 0, 0, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(new double[Percentiles.REPORTED.length]));
    return new Summary(RUN, RUN.startedAt(), Duration.ZERO, 0, List.of(), total, List.of(), 0);
  }

  /** Counts results; blocks in onResults until released when {@code gate} is given. */
  private static class Counting implements Listener {
    final AtomicLong results = new AtomicLong();
    final CountDownLatch gate;
    /** Counted down when onResults is first entered. */
    final CountDownLatch delivering = new CountDownLatch(1);
    volatile boolean stopped;

    Counting(CountDownLatch gate) {
      this.gate = gate;
    }

    @Override
    public void onStart(RunInfo run) {}

    @Override
    public void onResults(List<RequestResult> batch) {
      delivering.countDown();
      if (gate != null) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      results.addAndGet(batch.size());
    }

    @Override
    public void onStop(Summary summary) {
      stopped = true;
    }
  }

  @Test
  void aStalledListenerDropsAndCountsWithoutStallingTheOthers() {
    CountDownLatch gate = new CountDownLatch(1);
    Counting stalled = new Counting(gate);
    Counting healthy = new Counting(null);
    ResultBus bus = ResultBus.builder().capacity(100).batchSize(10).listener("stalled", stalled)
        .listener("healthy", healthy).build();
    bus.start(RUN);
    for (int i = 0; i < 10_000; i++) {
      bus.publish(result());
    }
    gate.countDown();
    List<ListenerDelivery> deliveries = bus.stop(summary());

    ListenerDelivery stalledDelivery = deliveries.get(0);
    assertThat(stalledDelivery.dropped()).isPositive();
    assertThat(stalledDelivery.accepted() + stalledDelivery.dropped()).isEqualTo(10_000);
    assertThat(stalled.results.get()).isEqualTo(stalledDelivery.accepted());
    assertThat(stalled.stopped).isTrue();
    assertThat(deliveries.get(1).accepted() + deliveries.get(1).dropped()).isEqualTo(10_000);
    assertThat(healthy.results.get()).isEqualTo(deliveries.get(1).accepted());
  }

  @Test
  void blockingListenersLoseNothing() {
    Counting slow = new Counting(null);
    // The block timeout only bounds a listener that stopped draining; a busy machine may not run
    // this one for a while, which must not turn into drops.
    ResultBus bus = ResultBus.builder().capacity(10).batchSize(5).blockTimeout(Duration.ofSeconds(30))
        .blockingListener("log", slow).build();
    bus.start(RUN);
    for (int i = 0; i < 5_000; i++) {
      bus.publish(result());
    }
    ListenerDelivery delivery = bus.stop(summary()).get(0);

    assertThat(delivery.dropped()).isZero();
    assertThat(slow.results.get()).isEqualTo(5_000);
  }

  @Test
  void countsBatchesAListenerThrewOnAsFailed() {
    Listener throwing = new Listener() {
      @Override
      public void onStart(RunInfo run) {}

      @Override
      public void onResults(List<RequestResult> batch) {
        throw new IllegalStateException("backend down");
      }

      @Override
      public void onStop(Summary summary) {}
    };
    ResultBus bus = ResultBus.builder().listener("broken", throwing).build();
    bus.start(RUN);
    for (int i = 0; i < 50; i++) {
      bus.publish(result());
    }
    ListenerDelivery delivery = bus.stop(summary()).get(0);

    assertThat(delivery.failed()).isEqualTo(50);
    assertThat(delivery.delivered()).isZero();
  }

  @Test
  void abandonsAListenerThatDoesNotFinishWithinTheStopTimeout() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    Counting hung = new Counting(never);
    ResultBus bus = ResultBus.builder().listener("hung", hung).stopTimeout(Duration.ofMillis(200)).build();
    bus.start(RUN);
    for (int i = 0; i < 100; i++) {
      bus.publish(result());
    }
    // Stop once the listener hangs in its first batch, not while its thread is still draining the
    // queue into that batch: results then are neither queued nor counted as accepted yet.
    assertThat(hung.delivering.await(30, TimeUnit.SECONDS)).isTrue();
    ListenerDelivery delivery = bus.stop(summary()).get(0);

    assertThat(delivery.dropped() + delivery.accepted()).isEqualTo(100);
    assertThat(delivery.gaveUp()).isTrue();
    assertThat(delivery.delivered()).isZero();
  }

  @Test
  void countsNothingAsDeliveredByAListenerWhoseFlushNeverReturns() throws InterruptedException {
    CountDownLatch flushing = new CountDownLatch(1);
    Counting neverAnswered = new Counting(null) {
      @Override
      public void onStop(Summary summary) {
        flushing.countDown();
        // A backend that accepted the connection and never answers.
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    Counting healthy = new Counting(null);
    ResultBus bus = ResultBus.builder().listener("silent", neverAnswered).listener("healthy", healthy)
        .stopTimeout(Duration.ofMillis(300)).build();
    bus.start(RUN);
    for (int i = 0; i < 100; i++) {
      bus.publish(result());
    }
    List<ListenerDelivery> deliveries = bus.stop(summary());

    assertThat(deliveries.get(0).gaveUp()).isTrue();
    assertThat(deliveries.get(0).accepted()).isEqualTo(100);
    assertThat(deliveries.get(0).failed()).isEqualTo(100);
    assertThat(deliveries.get(0).delivered()).isZero();
    assertThat(deliveries.get(1).gaveUp()).isFalse();
    assertThat(deliveries.get(1).delivered()).isEqualTo(100);
  }

  @Test
  void ticksReachAListenerWhileResultsKeepItsQueueBusy() throws InterruptedException {
    AtomicLong ticks = new AtomicLong();
    Listener listener = new Listener() {
      @Override
      public void onStart(RunInfo run) {}

      @Override
      public void onResults(List<RequestResult> batch) {}

      @Override
      public void onTick(dev.stampede.Snapshot snapshot) {
        ticks.incrementAndGet();
      }

      @Override
      public void onStop(Summary summary) {}
    };
    ResultBus bus = ResultBus.builder().listener("busy", listener).pollInterval(Duration.ofMillis(50)).build();
    bus.start(RUN);
    dev.stampede.Snapshot snapshot = new dev.stampede.Snapshot(0, 0, 1, summary().total(), List.of(), 0, 0, 0, 0, 0);
    // The stimulus: publishes without pause (every drain finds results) until the listener saw three ticks.
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread publisher = Thread.ofPlatform().name("publisher").start(() -> {
      int published = 0;
      while (publishing.get()) {
        bus.publish(result());
        if (++published % 20_000 == 0) {
          bus.tick(snapshot);
        }
      }
    });
    try {
      await("three ticks seen by a listener that is never idle").atMost(Duration.ofSeconds(30))
          .until(() -> ticks.get() >= 3);
    } finally {
      publishing.set(false);
      publisher.join();
    }
    bus.stop(summary());

    assertThat(ticks.get()).isGreaterThanOrEqualTo(3);
  }

  /** Records its warm-up and whether onStart ran while it was warming up. */
  private static final class WarmingUp extends Counting {
    final CountDownLatch warming = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Duration budget;
    volatile boolean startedDuringWarmUp;
    volatile boolean warmedUp;

    WarmingUp() {
      super(null);
    }

    @Override
    public void warmUp(Duration budget) {
      this.budget = budget;
      warming.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      warmedUp = true;
    }

    @Override
    public void onStart(RunInfo run) {
      try {
        startedDuringWarmUp = warming.await(5, TimeUnit.SECONDS) && !warmedUp;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    }
  }

  @Test
  void warmsUpEachListenerWhileItStartsAndBeforeTheLoad() {
    WarmingUp listener = new WarmingUp();
    ResultBus bus = ResultBus.builder().warmUpBudget(Duration.ofSeconds(3)).listener("warm", listener).build();

    bus.start(RUN);

    assertThat(listener.startedDuringWarmUp).isTrue();
    assertThat(listener.warmedUp).isTrue();
    assertThat(listener.budget).isEqualTo(Duration.ofSeconds(3));
    bus.stop(summary());
  }

  @Test
  void aZeroWarmUpBudgetWarmsNothingUp() {
    WarmingUp listener = new WarmingUp();
    listener.warming.countDown();
    ResultBus bus = ResultBus.builder().warmUpBudget(Duration.ZERO).listener("cold", listener).build();

    bus.start(RUN);

    assertThat(listener.budget).isNull();
    bus.stop(summary());
  }

  @Test
  void aListenerFedIntervalsGetsEachTicksIntervalBeforeItsSnapshotAndNoResult() {
    List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Listener fedIntervals = new Listener() {
      @Override
      public Feed feed() {
        return Feed.INTERVALS;
      }

      @Override
      public void onStart(RunInfo run) {}

      @Override
      public void onResults(List<RequestResult> batch) {
        calls.add("results");
      }

      @Override
      public void onInterval(dev.stampede.stats.TickInterval interval) {
        calls.add("interval " + interval.count());
      }

      @Override
      public void onTick(dev.stampede.Snapshot snapshot) {
        calls.add("tick");
      }

      @Override
      public void onStop(Summary summary) {
        calls.add("stop");
      }
    };
    ResultBus onlyIntervals = ResultBus.builder().listener("steps", fedIntervals).build();
    assertThat(onlyIntervals.takesResults()).isFalse();
    assertThat(onlyIntervals.takesIntervals()).isTrue();

    Counting results = new Counting(null);
    ResultBus bus = ResultBus.builder().listener("steps", fedIntervals).listener("results", results).build();
    assertThat(bus.takesResults()).isTrue();
    bus.start(RUN);
    for (int i = 0; i < 5; i++) {
      bus.publish(result());
    }
    dev.stampede.stats.RunStats stats = new dev.stampede.stats.RunStats(0, 10);
    stats.intervalsForListeners(true);
    for (int i = 0; i < 5; i++) {
      stats.record("GET", "/", 1_000, 0, null, 0);
    }
    stats.tick(1_000, 1);
    stats.takeIntervals().forEach(bus::interval);
    bus.tick(new dev.stampede.Snapshot(0, 0, 1, summary().total(), List.of(), 0, 0, 0, 0, 0));
    List<ListenerDelivery> deliveries = bus.stop(summary());

    assertThat(calls).containsExactly("interval 5", "tick", "stop");
    assertThat(results.results.get()).isEqualTo(5);
    assertThat(deliveries).extracting(ListenerDelivery::accepted).containsExactly(5L, 5L);
    assertThat(deliveries).extracting(ListenerDelivery::delivered).containsExactly(5L, 5L);
  }
}
