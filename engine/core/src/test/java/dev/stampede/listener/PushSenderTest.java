package dev.stampede.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PushSenderTest {

  /** An item that stands for some results. */
  record Item(String name, long results) {}

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  private PushSender<Item> sender(PushSender.Transport<Item> transport, int bufferSize, Backoff backoff) {
    return PushSender.builder("test", transport).weight(Item::results).batchSize(2).bufferSize(bufferSize)
        .backoff(backoff).sleeper(sleeps::add).build();
  }

  @Test
  void deliversInBatchesAndCountsOnlyWhatTheBackendConfirmed() {
    List<List<Item>> sent = new CopyOnWriteArrayList<>();
    PushSender<Item> sender = sender(sent::add, 100, Backoff.unlimited(Duration.ofMillis(1), Duration.ofMillis(1)));
    sender.start();
    sender.offer(List.of(new Item("a", 1), new Item("b", 2), new Item("c", 3)));
    sender.stop(Duration.ofSeconds(30));

    assertThat(sent).flatMap(batch -> batch).extracting(Item::name).containsExactly("a", "b", "c");
    assertThat(sent).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
    PushSender.Counters counters = sender.counters();
    assertThat(counters.delivered()).isEqualTo(3);
    assertThat(counters.failed()).isZero();
    assertThat(counters.resultsLost()).isZero();
  }

  @Test
  void retriesARetryableFailureWithTheBackoffThenDelivers() {
    AtomicInteger calls = new AtomicInteger();
    PushSender<Item> sender = sender(batch -> {
      if (calls.incrementAndGet() < 3) {
        throw new SendException("HTTP 503", true, null);
      }
    }, 100, Backoff.unlimited(Duration.ofMillis(100), Duration.ofSeconds(1)));
    sender.start();
    sender.offer(new Item("a", 5));
    sender.stop(Duration.ofSeconds(30));

    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sender.counters()).satisfies(c -> {
      assertThat(c.delivered()).isEqualTo(1);
      assertThat(c.requests()).isEqualTo(3);
      assertThat(c.retries()).isEqualTo(2);
      assertThat(c.resultsLost()).isZero();
    });
  }

  @Test
  void failsABatchTheBackendRefusesWithoutRetrying() {
    PushSender<Item> sender = sender(batch -> {
      throw new SendException("HTTP 400", false, null);
    }, 100, Backoff.unlimited(Duration.ofMillis(1), Duration.ofMillis(1)));
    sender.start();
    sender.offer(new Item("a", 5));
    sender.stop(Duration.ofSeconds(30));

    assertThat(sender.counters()).satisfies(c -> {
      assertThat(c.delivered()).isZero();
      assertThat(c.failed()).isEqualTo(1);
      assertThat(c.failedSends()).isEqualTo(1);
      assertThat(c.retries()).isZero();
      assertThat(c.resultsLost()).isEqualTo(5);
    });
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    AtomicInteger calls = new AtomicInteger();
    PushSender<Item> sender = sender(batch -> {
      calls.incrementAndGet();
      throw new SendException("connection refused", true, null);
    }, 100, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 3));
    sender.start();
    sender.offer(new Item("a", 7));
    sender.stop(Duration.ofSeconds(30));

    assertThat(calls).hasValue(3);
    assertThat(sender.counters().resultsLost()).isEqualTo(7);
  }

  @Test
  void dropsAndCountsWhatDoesNotFitInTheBuffer() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch sending = new CountDownLatch(1);
    PushSender<Item> sender = sender(batch -> {
      sending.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, 2, Backoff.unlimited(Duration.ofMillis(1), Duration.ofMillis(1)));
    sender.start();
    sender.offer(List.of(new Item("a", 1), new Item("b", 1)));
    sending.await();
    sender.offer(List.of(new Item("c", 10), new Item("d", 20)));
    release.countDown();
    sender.stop(Duration.ofSeconds(30));

    assertThat(sender.counters()).satisfies(c -> {
      assertThat(c.delivered()).isEqualTo(2);
      assertThat(c.dropped()).isEqualTo(2);
      assertThat(c.resultsLost()).isEqualTo(30);
    });
  }

  @Test
  void neverCountsASendThatNeverReturnsAsDelivered() throws InterruptedException {
    List<Thread> senders = new CopyOnWriteArrayList<>();
    CountDownLatch sending = new CountDownLatch(1);
    PushSender<Item> sender = sender(batch -> {
      senders.add(Thread.currentThread());
      sending.countDown();
      // A backend that accepted the connection and never answers.
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SendException("interrupted", false, e);
      }
    }, 100, Backoff.unlimited(Duration.ofMillis(1), Duration.ofMillis(1)));
    sender.start();
    sender.offer(List.of(new Item("a", 3), new Item("b", 4), new Item("c", 5)));
    assertThat(sending.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    sender.stop(Duration.ofMillis(200));

    assertThat(sender.counters()).satisfies(c -> {
      assertThat(c.delivered()).isZero();
      assertThat(c.failed()).isEqualTo(3);
      assertThat(c.resultsLost()).isEqualTo(12);
    });
    // The stop interrupted the hung send, so the thread ends rather than leak.
    senders.get(0).join(Duration.ofSeconds(30));
    assertThat(senders.get(0).isAlive()).isFalse();
  }
}
