package dev.stampede.listener;

import dev.stampede.config.Durations;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Delivers a listener's items (points, datums, samples) to its backend from its own thread, through
 * a bounded buffer, retrying with the one {@link Backoff}, in the manner of Micrometer's
 * {@code PushMeterRegistry}. Every pushing listener sends through one of these, so they all count
 * the same way.
 *
 * <p>The listener thread only {@link #offer}s items and never waits for the network, so a slow or
 * stopped backend delays neither the load nor the engine. Items wait in the buffer, and the batch
 * being sent stays counted in it until the backend confirmed it, so the buffer bound covers
 * everything not yet delivered. When an item does not fit it is dropped and counted: the buffer keeps
 * the oldest, contiguous history.
 *
 * <p>Only a send that returned normally counts as delivered. A send that failed in a way that may
 * pass later ({@link SendException#retryable()}) is retried, the same batch, after the backoff's
 * delays, up to its attempt limit; one the backend refused for good is failed at once. At
 * {@link #stop} the sender delivers what it holds for up to the flush timeout; what is still held
 * then, including a batch whose send never returned (a backend that accepts connections and never
 * answers), is failed, never delivered.
 *
 * @param <T> the items sent
 */
public final class PushSender<T> {

  /** Sends one batch to the backend, from the sender's thread, blocking until it is answered. */
  public interface Transport<T> extends AutoCloseable {

    /**
     * Sends {@code batch} in one request and returns once the backend confirmed it.
     *
     * @throws SendException when it was not delivered
     */
    void send(List<T> batch);

    /** Releases the connection; called once, on the sender's thread, when it ends. */
    @Override
    default void close() {}
  }

  /** Sleeps between retries; replaced in tests. */
  public interface Sleeper {
    /** Waits {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * What the sender did.
   *
   * @param delivered items the backend confirmed
   * @param dropped items that did not fit in the buffer
   * @param failed items the backend refused, that ran out of attempts, or that were still held at
   *     the end of the flush timeout
   * @param resultsLost the results the dropped and failed items stood for
   * @param requests sends attempted
   * @param retries sends that were attempts after the first
   * @param confirmedSends batches the backend confirmed
   * @param failedSends batches that failed for good (refused, out of attempts, or given up at stop)
   * @param peakBuffered the most items held at once
   */
  public record Counters(long delivered, long dropped, long failed, long resultsLost, long requests, long retries,
      long confirmedSends, long failedSends, int peakBuffered) {

    /** The counters as export-report details, each key prefixed with {@code what} ({@code points}). */
    public Map<String, Object> details(String what) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put(what + "_delivered", delivered);
      details.put(what + "_dropped", dropped);
      details.put(what + "_failed", failed);
      details.put("requests", requests);
      details.put("retries", retries);
      details.put("sends_confirmed", confirmedSends);
      details.put("sends_failed", failedSends);
      details.put("peak_buffered_" + what, (long) peakBuffered);
      return details;
    }
  }

  private final String name;
  private final Transport<T> transport;
  private final ToLongFunction<T> weight;
  private final int batchSize;
  private final int bufferSize;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Thread thread;
  // One per kind of problem, so that each kind is warned about once.
  private final WarnThenDebugLogger retryLog = new WarnThenDebugLogger(PushSender.class);
  private final WarnThenDebugLogger failLog = new WarnThenDebugLogger(PushSender.class);
  private final WarnThenDebugLogger bufferLog = new WarnThenDebugLogger(PushSender.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private List<T> inFlight = List.of();
  private boolean started;
  private boolean stopping;
  private boolean abandoned;
  private long delivered;
  private long dropped;
  private long failed;
  private long resultsLost;
  private long requests;
  private long retries;
  private long confirmedSends;
  private long failedSends;
  private int peakHeld;

  private PushSender(Builder<T> builder) {
    this.name = builder.name;
    this.transport = builder.transport;
    this.weight = builder.weight;
    this.batchSize = builder.batchSize;
    this.bufferSize = builder.bufferSize;
    this.backoff = builder.backoff;
    this.sleeper = builder.sleeper;
    this.thread = builder.threadFactory.newThread(this::run);
  }

  /**
   * A builder for a sender named {@code name} (in log lines: {@code influx}) sending through
   * {@code transport}.
   */
  public static <T> Builder<T> builder(String name, Transport<T> transport) {
    return new Builder<>(name, transport);
  }

  /** Starts the sender thread. */
  public void start() {
    lock.lock();
    try {
      started = true;
    } finally {
      lock.unlock();
    }
    thread.start();
  }

  /** Buffers {@code items} for delivery; what does not fit is dropped and counted. Never blocks on I/O. */
  public void offer(List<T> items) {
    if (items.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      long droppedNow = 0;
      for (T item : items) {
        if (abandoned || stopping && !thread.isAlive() || held() >= bufferSize) {
          dropped++;
          resultsLost += weight.applyAsLong(item);
          droppedNow++;
        } else {
          queue.add(item);
        }
      }
      peakHeld = Math.max(peakHeld, held());
      if (droppedNow > 0) {
        bufferLog.log(name + ": the send buffer is full (" + bufferSize + " items); dropped " + droppedNow);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Buffers one item; see {@link #offer(List)}. */
  public void offer(T item) {
    offer(List.of(item));
  }

  /**
   * Delivers everything buffered, waiting up to {@code flushTimeout}; what is still held then is
   * failed and counted, and the sender thread is interrupted. Call once; later offers are dropped.
   */
  public void stop(Duration flushTimeout) {
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
      if (!started) {
        abandoned = true;
        failAllHeld();
        return;
      }
    } finally {
      lock.unlock();
    }
    try {
      thread.join(flushTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      if (thread.isAlive()) {
        abandoned = true;
        long held = held();
        if (held > 0) {
          failLog.log(name + ": " + held + " items were not confirmed within the flush timeout of "
              + Durations.format(flushTimeout) + "; they are counted as failed");
        }
        failAllHeld();
        thread.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The counters so far; safe to call from any thread. */
  public Counters counters() {
    lock.lock();
    try {
      return new Counters(delivered, dropped, failed, resultsLost, requests, retries, confirmedSends, failedSends,
          peakHeld);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "PushSender[" + name + "]";
  }

  private void run() {
    try {
      while (true) {
        List<T> batch = nextBatch();
        if (batch == null) {
          return;
        }
        deliver(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        transport.close();
      } catch (Exception e) {
        failLog.log(name + ": closing the connection failed", e);
      }
    }
  }

  /** Takes the next batch into flight, waiting for items; {@code null} when stopped and empty. */
  private List<T> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (stopping || abandoned) {
          return null;
        }
        changed.await();
      }
      List<T> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
      while (batch.size() < batchSize && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      inFlight = batch;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(List<T> batch) throws InterruptedException {
    int attempt = 0;
    while (true) {
      attempt++;
      lock.lock();
      try {
        if (abandoned) {
          return;
        }
        requests++;
        if (attempt > 1) {
          retries++;
        }
      } finally {
        lock.unlock();
      }
      try {
        transport.send(batch);
        finish(batch, true);
        return;
      } catch (SendException e) {
        if (!e.retryable()) {
          failLog.log(name + ": the backend refused " + batch.size() + " items; they are counted as failed", e);
          finish(batch, false);
          return;
        }
        if (!backoff.allowsAnotherAfter(attempt)) {
          failLog.log(name + ": sending " + batch.size() + " items failed " + attempt
              + " times; they are counted as failed", e);
          finish(batch, false);
          return;
        }
        retryLog.log(name + ": sending " + batch.size() + " items failed; retrying with backoff", e);
      } catch (RuntimeException e) {
        failLog.log(name + ": sending " + batch.size() + " items failed; they are counted as failed", e);
        finish(batch, false);
        return;
      }
      pause(backoff.delay(attempt - 1));
    }
  }

  /**
   * Waits before a retry. The default waits on the buffer's condition, so that {@link #stop} cuts a
   * long backoff short and the final flush starts at once.
   */
  private void pause(Duration delay) throws InterruptedException {
    if (sleeper != null) {
      sleeper.sleep(delay);
      return;
    }
    lock.lock();
    try {
      boolean wasStopping = stopping;
      long nanos = delay.toNanos();
      while (nanos > 0 && !abandoned && stopping == wasStopping) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  private void finish(List<T> batch, boolean confirmed) {
    lock.lock();
    try {
      if (abandoned) {
        // stop() gave up on this batch and already counted it as failed.
        return;
      }
      if (confirmed) {
        delivered += batch.size();
        confirmedSends++;
      } else {
        failCounted(batch);
        failedSends++;
      }
      inFlight = List.of();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private int held() {
    return queue.size() + inFlight.size();
  }

  private void failAllHeld() {
    if (!inFlight.isEmpty()) {
      failedSends++;
    }
    failCounted(inFlight);
    failCounted(queue);
    inFlight = List.of();
    queue.clear();
  }

  private void failCounted(Iterable<T> items) {
    for (T item : items) {
      failed++;
      resultsLost += weight.applyAsLong(item);
    }
  }

  /** Builds a {@link PushSender}. */
  public static final class Builder<T> {
    private final String name;
    private final Transport<T> transport;
    private ToLongFunction<T> weight = item -> 0;
    private int batchSize = 1_000;
    private int bufferSize = 100_000;
    private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Integer.MAX_VALUE);
    private ThreadFactory threadFactory;
    private Sleeper sleeper;

    private Builder(String name, Transport<T> transport) {
      this.name = Objects.requireNonNull(name, "name");
      this.transport = Objects.requireNonNull(transport, "transport");
      this.threadFactory = Thread.ofPlatform().daemon().name("stampede-" + name + "-sender").factory();
    }

    /** How many results each item stands for, so that a lost item is reported as lost results. The default is 0. */
    public Builder<T> weight(ToLongFunction<T> weight) {
      this.weight = Objects.requireNonNull(weight, "weight");
      return this;
    }

    /** The most items per send. The default is 1,000. */
    public Builder<T> batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The most items held, waiting or being sent. The default is 100,000. */
    public Builder<T> bufferSize(int bufferSize) {
      if (bufferSize < 1) {
        throw new IllegalArgumentException("bufferSize must be >= 1 but was " + bufferSize);
      }
      this.bufferSize = bufferSize;
      return this;
    }

    /** The retry policy. The default is 100 ms doubling to 5 s, without an attempt limit. */
    public Builder<T> backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Makes the sender thread. The default makes a daemon platform thread {@code stampede-NAME-sender}. */
    public Builder<T> threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /** Waits between retries instead of the real wait, in tests. */
    public Builder<T> sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The sender, not started. */
    public PushSender<T> build() {
      return new PushSender<>(this);
    }
  }
}
