package dev.stampede.listener.influx;

import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.influxdb.dto.Point;

/**
 * Delivers points to InfluxDB from its own thread, through a bounded buffer, retrying with backoff.
 *
 * <p>The listener thread only {@link #offer}s points and never waits for the network, so a slow or
 * stopped InfluxDB delays neither the load nor the engine. Points wait in the buffer, and the one
 * batch being written stays counted in it until InfluxDB accepted it, so the buffer bound covers
 * everything not yet delivered. When a point does not fit, the new point is dropped and counted:
 * the buffer keeps the oldest, contiguous history.
 *
 * <p>A write that fails in a way that may pass later (InfluxDB unreachable, HTTP 5xx or 429) is
 * retried, the same batch, after {@link Backoff} delays, for as long as it takes; there is no
 * attempt limit because the buffer bound already limits what waiting can cost. A write InfluxDB
 * rejects for good (HTTP 4xx: a parse error, authorisation) is dropped and counted at once.
 */
final class InfluxSender {

  private final InfluxTransport transport;
  private final int batchSize;
  private final int bufferSize;
  private final Backoff backoff;
  private final boolean createDatabase;
  private final Sleeper sleeper;
  // One per kind of problem, so that each kind is warned about once.
  private final WarnThenDebugLogger retryLog = new WarnThenDebugLogger(InfluxListener.class);
  private final WarnThenDebugLogger rejectLog = new WarnThenDebugLogger(InfluxListener.class);
  private final WarnThenDebugLogger bufferLog = new WarnThenDebugLogger(InfluxListener.class);
  private final WarnThenDebugLogger flushLog = new WarnThenDebugLogger(InfluxListener.class);
  private final WarnThenDebugLogger databaseLog = new WarnThenDebugLogger(InfluxListener.class);
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<InfluxPoints.Weighted> queue = new ArrayDeque<>();
  private List<InfluxPoints.Weighted> inFlight = List.of();
  private boolean stopping;
  private boolean abandoned;
  private long pointsWritten;
  private long pointsDropped;
  private long resultsDropped;
  private long writeRequests;
  private long retries;
  private int peakHeld;

  // Sender thread only.
  private boolean databaseReady;

  /** Sleeps between retries, in tests; {@code null} for the real wait. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  InfluxSender(InfluxTransport transport, int batchSize, int bufferSize, Backoff backoff, boolean createDatabase,
      ThreadFactory threadFactory, Sleeper sleeper) {
    this.transport = transport;
    this.batchSize = batchSize;
    this.bufferSize = bufferSize;
    this.backoff = backoff;
    this.createDatabase = createDatabase;
    this.sleeper = sleeper;
    this.databaseReady = !createDatabase;
    this.thread = threadFactory.newThread(this::run);
  }

  void start() {
    thread.start();
  }

  /** Buffers {@code points} for delivery; what does not fit is dropped and counted. Never blocks on I/O. */
  void offer(List<InfluxPoints.Weighted> points) {
    if (points.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      long droppedNow = 0;
      for (InfluxPoints.Weighted point : points) {
        if (abandoned || stopping && !thread.isAlive() || held() >= bufferSize) {
          pointsDropped++;
          resultsDropped += point.results();
          droppedNow++;
        } else {
          queue.add(point);
        }
      }
      peakHeld = Math.max(peakHeld, held());
      if (droppedNow > 0) {
        bufferLog.log("InfluxDB listener buffer is full (influx.buffer-size=" + bufferSize + "); dropped "
            + droppedNow + " points");
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Delivers everything buffered, waiting up to {@code timeout}; what is still held then is dropped
   * and counted. Call once; later offers are dropped.
   */
  void stop(Duration timeout) {
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      if (thread.isAlive()) {
        abandoned = true;
        long held = held();
        if (held > 0) {
          flushLog.log("InfluxDB listener could not deliver " + held + " points within influx.flush-timeout="
              + dev.stampede.config.Durations.format(timeout) + "; they are dropped");
        }
        dropAllHeld();
        thread.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Points written, dropped, requests and retries so far. */
  Counters counters() {
    lock.lock();
    try {
      return new Counters(pointsWritten, pointsDropped, resultsDropped, writeRequests, retries, peakHeld);
    } finally {
      lock.unlock();
    }
  }

  /** The sender's counters. */
  record Counters(long pointsWritten, long pointsDropped, long resultsDropped, long writeRequests, long retries,
      int peakBuffered) {}

  private void run() {
    try {
      while (true) {
        List<InfluxPoints.Weighted> batch = nextBatch();
        if (batch == null) {
          return;
        }
        deliver(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      transport.close();
    }
  }

  /** Takes the next batch into flight, waiting for points; {@code null} when stopped and empty. */
  private List<InfluxPoints.Weighted> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (stopping || abandoned) {
          return null;
        }
        changed.await();
      }
      List<InfluxPoints.Weighted> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
      while (batch.size() < batchSize && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      inFlight = batch;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(List<InfluxPoints.Weighted> batch) throws InterruptedException {
    List<Point> points = new ArrayList<>(batch.size());
    for (InfluxPoints.Weighted weighted : batch) {
      points.add(weighted.point());
    }
    int attempt = 0;
    while (true) {
      try {
        if (!databaseReady) {
          createDatabase();
        }
        countRequest();
        transport.write(points);
        finish(batch, true);
        return;
      } catch (InfluxTransport.WriteException e) {
        if (!e.retryable()) {
          rejectLog.log("InfluxDB rejected a write of " + batch.size() + " points; they are dropped", e);
          finish(batch, false);
          return;
        }
        retryLog.log("InfluxDB write of " + batch.size() + " points failed; retrying with backoff", e);
      }
      lock.lock();
      try {
        if (abandoned) {
          return;
        }
        retries++;
      } finally {
        lock.unlock();
      }
      pause(backoff.delay(attempt++));
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

  private void createDatabase() {
    try {
      countRequest();
      transport.createDatabase();
    } catch (InfluxTransport.WriteException e) {
      if (e.retryable()) {
        throw e;
      }
      // Without admin rights CREATE DATABASE is refused though the database may well exist; the
      // write itself tells.
      databaseLog.log("InfluxDB refused CREATE DATABASE; writing anyway", e);
    }
    databaseReady = true;
  }

  private void countRequest() {
    lock.lock();
    try {
      writeRequests++;
    } finally {
      lock.unlock();
    }
  }

  private void finish(List<InfluxPoints.Weighted> batch, boolean written) {
    lock.lock();
    try {
      if (abandoned) {
        // stop() gave up on this batch and already counted it as dropped.
        return;
      }
      if (written) {
        pointsWritten += batch.size();
      } else {
        dropCounted(batch);
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

  private void dropAllHeld() {
    dropCounted(inFlight);
    dropCounted(queue);
    inFlight = List.of();
    queue.clear();
  }

  private void dropCounted(Iterable<InfluxPoints.Weighted> points) {
    for (InfluxPoints.Weighted point : points) {
      pointsDropped++;
      resultsDropped += point.results();
    }
  }

  /**
   * Exponential backoff: {@code initial * 2^attempt}, capped at {@code max}.
   *
   * @param initial the first delay
   * @param max the longest delay
   */
  record Backoff(Duration initial, Duration max) {

    Backoff {
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("initial must be > 0 but was " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max must be >= initial (" + initial + ") but was " + max);
      }
    }

    /** The delay before retry number {@code attempt + 1} (attempt 0 is the first retry). */
    Duration delay(int attempt) {
      if (attempt < 0) {
        throw new IllegalArgumentException("attempt must be >= 0 but was " + attempt);
      }
      long maxNanos = max.toNanos();
      long nanos = initial.toNanos();
      for (int i = 0; i < attempt && nanos < maxNanos; i++) {
        nanos = nanos > maxNanos / 2 ? maxNanos : nanos * 2;
      }
      return Duration.ofNanos(Math.min(nanos, maxNanos));
    }
  }
}
