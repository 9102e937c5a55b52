package dev.stampede.bus;

import dev.stampede.ExportReport;
import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.config.Durations;
import dev.stampede.stats.ThreadStripes;
import dev.stampede.stats.TickInterval;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every published result to every listener that takes results, each through its own bounded
 * queue and thread, and the engine's tick intervals to every listener that takes those
 * ({@link Listener.Feed}).
 *
 * <p>One queue per listener is what isolates them: a stalled backend fills only its own queue,
 * and then the {@link OverflowPolicy} decides, visibly and counted, whether its results are dropped
 * or the load waits. The engine's own statistics never pass through here, so they are complete
 * whatever happens to a listener.
 *
 * <p>Each queue is a bounded lock-free multi-producer, single-consumer array queue (JCTools): a
 * publishing user never takes a lock, and the listener thread drains batches without contending
 * with producers. When a queue is empty the listener thread parks briefly instead of spinning.
 *
 * <p>At {@link #stop} every queue is drained into its listener, which then flushes in
 * {@link Listener#onStop}; a listener that does not finish within the stop timeout is abandoned,
 * and what it still had queued is counted as dropped.
 */
public final class ResultBus {

  private static final Logger LOG = LoggerFactory.getLogger(ResultBus.class);
  /**
   * A drain smaller than this means the listener has caught up with the users: it parks as when
   * idle, so that it takes the next results in one batch instead of spinning on a handful at a
   * time, each spin paying clock reads and the listener's per-batch work (perf, issue 8 third
   * round: clock reads were the listener threads' largest cost).
   */
  private static final int SMALL_BATCH = 64;
  /** How long a blocked producer parks between attempts when its listener's queue is full. */
  private static final long BLOCK_PARK_NANOS = 50_000L;

  /**
   * How long each listener may warm up before the load ({@link Listener#warmUp}); the default. A
   * listener stops earlier once it has fed {@link dev.stampede.listener.WarmUp#MAX_RESULTS}.
   * {@code -Dstampede.listener.warmup=false} turns the warm-up off.
   */
  public static final Duration DEFAULT_WARM_UP_BUDGET =
      Boolean.parseBoolean(System.getProperty("stampede.listener.warmup", "true")) ? Duration.ofSeconds(1) : Duration.ZERO;
  /** How much longer than the budget the start waits for a warm-up that overran it. */
  private static final long WARM_UP_GRACE_NANOS = 200_000_000L;

  /** The default of {@code listener.stop-timeout}: 15 seconds, more than a listener's default 10 s flush. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(15);

  private final List<Worker> workers;
  private final long blockTimeoutNanos;
  private final Duration stopTimeout;
  private final Duration warmUpBudget;
  /** The workers of listeners that take results: the only ones {@link #publish} queues for. */
  private final Worker[] resultWorkers;

  private ResultBus(Builder builder) {
    this.blockTimeoutNanos = builder.blockTimeout.toNanos();
    this.stopTimeout = builder.stopTimeout;
    this.warmUpBudget = builder.warmUpBudget;
    List<Worker> list = new ArrayList<>();
    builder.listeners.forEach((name, listener) ->
        list.add(new Worker(name, listener, builder, builder.blocking.contains(name) ? OverflowPolicy.BLOCK : builder.overflowPolicy)));
    this.workers = List.copyOf(list);
    this.resultWorkers = list.stream().filter(worker -> worker.feed == Listener.Feed.RESULTS).toArray(Worker[]::new);
  }

  /** A builder with the defaults: capacity 65,536 per listener, batches of 1,000, drop on overflow. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether any listener takes results; when none does, {@link #publish} does nothing and a caller
   * need not make results at all.
   */
  public boolean takesResults() {
    return resultWorkers.length > 0;
  }

  /** Whether any listener takes the engine's tick intervals: then pass each one to {@link #interval}. */
  public boolean takesIntervals() {
    return resultWorkers.length < workers.size();
  }

  /**
   * Calls {@link Listener#onStart} on every listener, on the caller's thread so a listener that
   * cannot start (a port in use, say) fails the run before any load is sent, then starts the
   * listener threads.
   *
   * @throws ListenerStartException naming the listener that could not start; the others are closed
   */
  public void start(RunInfo run) {
    List<Thread> warmUps = startWarmUps();
    List<Worker> started = new ArrayList<>();
    for (Worker worker : workers) {
      try {
        worker.listener.onStart(run);
        started.add(worker);
      } catch (RuntimeException e) {
        for (Worker other : workers) {
          closeQuietly(other);
        }
        throw new ListenerStartException(worker.name, e);
      }
    }
    awaitWarmUps(warmUps);
    for (Worker worker : started) {
      worker.thread.start();
    }
  }

  /**
   * Starts each listener's {@link Listener#warmUp} on a thread of its own, to run while the
   * listeners start: the JIT compiles their per-result code before the load, not on the cores the
   * users need during the run (decision 0010).
   */
  private List<Thread> startWarmUps() {
    if (warmUpBudget.isZero()) {
      return List.of();
    }
    List<Thread> threads = new ArrayList<>();
    for (Worker worker : workers) {
      threads.add(Thread.ofPlatform().daemon().name("stampede-warm-up-" + worker.name).start(() -> {
        try {
          worker.listener.warmUp(warmUpBudget);
        } catch (RuntimeException e) {
          LOG.debug("listener {} failed to warm up", worker.name, e);
        }
      }));
    }
    return threads;
  }

  /** Waits for the warm-ups, at most a little longer than their budget: they stop by themselves. */
  private void awaitWarmUps(List<Thread> warmUps) {
    long deadline = System.nanoTime() + warmUpBudget.toNanos() + WARM_UP_GRACE_NANOS;
    try {
      for (Thread warmUp : warmUps) {
        long remaining = deadline - System.nanoTime();
        if (remaining > 0) {
          warmUp.join(Duration.ofNanos(remaining));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Queues {@code result} for every listener. Never throws; with {@link OverflowPolicy#DROP} never
   * blocks.
   */
  public void publish(RequestResult result) {
    for (Worker worker : resultWorkers) {
      worker.offer(result, blockTimeoutNanos);
    }
  }

  /** Queues a tick snapshot for every listener; ticks are never dropped (there is one a second). */
  public void tick(Snapshot snapshot) {
    for (Worker worker : workers) {
      worker.ticks.add(snapshot);
    }
  }

  /**
   * Queues a tick's interval for every listener that takes intervals, to be delivered before the
   * tick's snapshot: call it before {@link #tick}. Never dropped, as ticks.
   */
  public void interval(TickInterval interval) {
    Objects.requireNonNull(interval, "interval");
    for (Worker worker : workers) {
      if (worker.feed == Listener.Feed.INTERVALS) {
        worker.ticks.add(interval);
      }
    }
  }

  /**
   * Drains every queue into its listener, calls {@link Listener#onStop} and {@link Listener#close},
   * and reports delivery. Call once, after every producer has stopped publishing. Listeners stop in
   * parallel; the whole call takes at most about the stop timeout.
   */
  public List<ListenerDelivery> stop(Summary summary) {
    for (Worker worker : workers) {
      worker.requestStop(summary);
    }
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    List<ListenerDelivery> deliveries = new ArrayList<>();
    for (Worker worker : workers) {
      long remaining = Math.max(1, deadline - System.nanoTime());
      deliveries.add(worker.awaitStop(remaining, stopTimeout));
    }
    return deliveries;
  }

  private static void closeQuietly(Worker worker) {
    try {
      worker.listener.close();
    } catch (Exception e) {
      LOG.debug("closing listener {} failed", worker.name, e);
    }
  }

  /** Thrown by {@link #start} when a listener's {@code onStart} fails. */
  public static final class ListenerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerStartException(String listener, Throwable cause) {
      super("listener " + listener + " could not start: " + WarnThenDebugLogger.describe(cause), cause);
    }
  }

  /** One listener, its queue and its thread. */
  private static final class Worker implements Runnable {
    private final String name;
    private final Listener listener;
    private final Listener.Feed feed;
    private final OverflowPolicy policy;
    /**
     * The listener's queue, striped by producer thread ({@link ThreadStripes}): with one queue, two
     * cores publishing at once contended on its producer index.
     */
    private final MpscArrayQueue<RequestResult>[] queues;
    private int nextStripe;
    /** Results taken from each stripe since the thread last parked: how full the park let it get. */
    private final int[] takenSincePark;
    private final IdlePark idlePark;
    /** Tick snapshots and, for a listener fed intervals, each tick's interval before its snapshot. */
    private final ConcurrentLinkedQueue<Object> ticks = new ConcurrentLinkedQueue<>();
    private final int batchSize;
    private final long pollNanos;
    private final Thread thread;
    private final LongAdder dropped = new LongAdder();
    private final WarnThenDebugLogger failureLog = new WarnThenDebugLogger(ResultBus.class);
    // Written by the listener thread only; volatile because awaitStop reads them after a timeout,
    // when no join has ordered the two threads.
    private volatile long accepted;
    private volatile long failed;
    private volatile Summary stopSummary;
    private volatile boolean finished;

    Worker(String name, Listener listener, Builder builder, OverflowPolicy policy) {
      this.name = name;
      this.listener = listener;
      this.feed = Objects.requireNonNullElse(listener.feed(), Listener.Feed.RESULTS);
      this.policy = policy;
      int capacityPerStripe = Math.max(2, (builder.capacity + ThreadStripes.COUNT - 1) / ThreadStripes.COUNT);
      // A listener fed intervals gets no result: no queue to fill, and none to look at.
      this.queues = newQueues(feed == Listener.Feed.RESULTS ? ThreadStripes.COUNT : 0, capacityPerStripe);
      this.takenSincePark = new int[queues.length];
      this.idlePark = new IdlePark(capacityPerStripe);
      this.batchSize = builder.batchSize;
      this.pollNanos = builder.pollInterval.toNanos();
      this.thread = Thread.ofPlatform().daemon().name("stampede-listener-" + name).unstarted(this);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type can only be made raw
    private static MpscArrayQueue<RequestResult>[] newQueues(int stripes, int capacityPerStripe) {
      MpscArrayQueue<RequestResult>[] queues = new MpscArrayQueue[stripes];
      for (int i = 0; i < queues.length; i++) {
        queues[i] = new MpscArrayQueue<>(capacityPerStripe);
      }
      return queues;
    }

    void offer(RequestResult result, long blockTimeoutNanos) {
      MpscArrayQueue<RequestResult> queue = queues[ThreadStripes.current()];
      if (queue.offer(result)) {
        return;
      }
      // A full queue: wake the listener thread rather than wait out its idle park.
      LockSupport.unpark(thread);
      if (policy == OverflowPolicy.BLOCK) {
        long deadline = System.nanoTime() + blockTimeoutNanos;
        while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
          // The listener frees room a batch at a time; a short park lets it run.
          LockSupport.parkNanos(BLOCK_PARK_NANOS);
          if (queue.offer(result)) {
            return;
          }
        }
      }
      dropped.increment();
    }

    @Override
    public void run() {
      List<RequestResult> batch = new ArrayList<>(batchSize);
      MessagePassingQueue.Consumer<RequestResult> toBatch = batch::add;
      long ticksDeliveredAt = System.nanoTime();
      try {
        while (true) {
          boolean stopping = stopSummary != null;
          int drained = drain(toBatch);
          if (drained > 0) {
            deliver(batch);
            batch.clear();
          }
          // A full batch means more may be waiting, however small the listener's batches are.
          boolean caughtUp = drained < Math.min(SMALL_BATCH, batchSize);
          if (caughtUp && !stopping) {
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
            LockSupport.parkNanos(nextPark());
          }
          // Ticks go out whenever the results are caught up with, and at least every poll
          // interval while results keep the queue busy.
          if (caughtUp || System.nanoTime() - ticksDeliveredAt > pollNanos) {
            deliverTicks();
            ticksDeliveredAt = System.nanoTime();
          }
          if (stopping && drained == 0 && queued() == 0) {
            deliverTicks();
            break;
          }
        }
        try {
          listener.onStop(stopSummary);
        } catch (RuntimeException e) {
          failureLog.log("listener " + name + " failed to flush at stop", e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(this);
        finished = true;
      }
    }

    /** How long to park now, from how full the last park let the fullest stripe get. */
    private long nextPark() {
      int fullest = 0;
      for (int i = 0; i < takenSincePark.length; i++) {
        fullest = Math.max(fullest, takenSincePark[i]);
        takenSincePark[i] = 0;
      }
      return idlePark.next(fullest);
    }

    /** Takes up to a batch from the stripes, starting at another stripe each time so none starves. */
    private int drain(MessagePassingQueue.Consumer<RequestResult> toBatch) {
      int drained = 0;
      for (int i = 0; i < queues.length && drained < batchSize; i++) {
        int stripe = (nextStripe + i) & (queues.length - 1);
        int taken = queues[stripe].drain(toBatch, batchSize - drained);
        takenSincePark[stripe] += taken;
        drained += taken;
      }
      nextStripe = queues.length == 0 ? 0 : (nextStripe + 1) & (queues.length - 1);
      // Counted as soon as they left the queue, so a listener abandoned inside onResults is
      // reported with its batch accepted rather than lost from both counts.
      accepted += drained;
      return drained;
    }

    private long queued() {
      long queued = 0;
      for (MpscArrayQueue<RequestResult> queue : queues) {
        queued += queue.size();
      }
      return queued;
    }

    private void deliver(List<RequestResult> batch) {
      try {
        listener.onResults(batch);
      } catch (RuntimeException e) {
        failed += batch.size();
        failureLog.log("listener " + name + " failed on a batch of " + batch.size() + " results", e);
      }
    }

    private void deliverTicks() {
      Object next;
      while ((next = ticks.poll()) != null) {
        if (next instanceof TickInterval interval) {
          deliverInterval(interval);
          continue;
        }
        try {
          listener.onTick((Snapshot) next);
        } catch (RuntimeException e) {
          failureLog.log("listener " + name + " failed on a tick", e);
        }
      }
    }

    /** Hands an interval over; its results count as accepted, and as failed if the listener throws. */
    private void deliverInterval(TickInterval interval) {
      long results = interval.count();
      accepted += results;
      try {
        listener.onInterval(interval);
      } catch (RuntimeException e) {
        failed += results;
        failureLog.log("listener " + name + " failed on the interval of a tick", e);
      }
    }

    void requestStop(Summary summary) {
      stopSummary = Objects.requireNonNull(summary, "summary");
      LockSupport.unpark(thread); // rather than let the stop wait out an idle park
      if (!thread.isAlive() && !finished && thread.getState() == Thread.State.NEW) {
        // start() was never called (the run failed early): close without delivering.
        closeQuietly(this);
        finished = true;
      }
    }

    ListenerDelivery awaitStop(long timeoutNanos, Duration stopTimeout) {
      try {
        thread.join(Duration.ofNanos(timeoutNanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!finished) {
        // The queue is not cleared here: only the listener thread may consume from it. What the
        // listener accepted it never confirmed (its flush did not return), so none of it counts
        // as delivered.
        long abandoned = queued();
        long unconfirmed = accepted;
        LOG.warn("gave up on listener {}: it did not finish within listener.stop-timeout={}; {} queued results"
            + " dropped, {} accepted results not confirmed", name, Durations.format(stopTimeout), abandoned, unconfirmed);
        thread.interrupt();
        return new ListenerDelivery(name, unconfirmed, dropped.sum() + abandoned, unconfirmed, ExportReport.NONE, true);
      }
      long reportedFailed = 0;
      ExportReport report = ExportReport.NONE;
      try {
        report = listener.report();
        reportedFailed = report.failed();
      } catch (RuntimeException e) {
        LOG.debug("listener {} failed to report", name, e);
      }
      return new ListenerDelivery(name, accepted, dropped.sum(), Math.min(accepted, failed + reportedFailed), report);
    }
  }

  /** Builds a {@link ResultBus}. */
  public static final class Builder {
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final java.util.Set<String> blocking = new java.util.HashSet<>();
    private int capacity = 65_536;
    private int batchSize = 1_000;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;
    private Duration blockTimeout = Duration.ofSeconds(1);
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration warmUpBudget = DEFAULT_WARM_UP_BUDGET;

    private Builder() {}

    /** Adds a listener under a unique {@code name}. */
    public Builder listener(String name, Listener listener) {
      Objects.requireNonNull(listener, "listener");
      if (listeners.putIfAbsent(name, listener) != null) {
        throw new IllegalArgumentException("listener name must be unique but " + name + " was added twice");
      }
      return this;
    }

    /**
     * Adds a listener that must not lose results, such as a raw requests log: when its queue is
     * full, publishing blocks up to the block timeout whatever the overflow policy.
     */
    public Builder blockingListener(String name, Listener listener) {
      listener(name, listener);
      blocking.add(name);
      return this;
    }

    /**
     * Results each listener's queue holds, in all: it is split over {@link ThreadStripes#COUNT}
     * stripes by producer thread. The default is 65,536.
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be >= 1 but was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /** The most results handed to {@link Listener#onResults} at once. The default is 1,000. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** What happens when a queue is full. The default is {@link OverflowPolicy#DROP}; see {@link #blockingListener}. */
    public Builder overflowPolicy(OverflowPolicy policy) {
      this.overflowPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** How long {@link OverflowPolicy#BLOCK} waits before dropping. The default is 1 second. */
    public Builder blockTimeout(Duration timeout) {
      this.blockTimeout = requirePositive("blockTimeout", timeout);
      return this;
    }

    /**
     * How long {@link #stop} waits for all listeners to drain and flush ({@code listener.stop-timeout});
     * a listener still busy then is given up on, named in a warning, and none of what it accepted
     * counts as delivered. The default is 15 seconds.
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = requirePositive("stopTimeout", timeout);
      return this;
    }

    /** How often an idle listener thread wakes to deliver ticks. The default is 100 ms. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = requirePositive("pollInterval", interval);
      return this;
    }

    /**
     * How long each listener may warm up during {@link ResultBus#start} ({@link Listener#warmUp});
     * zero turns the warm-up off. The default is {@link #DEFAULT_WARM_UP_BUDGET}.
     */
    public Builder warmUpBudget(Duration budget) {
      if (budget.isNegative()) {
        throw new IllegalArgumentException("warmUpBudget must be >= 0 but was " + budget);
      }
      this.warmUpBudget = budget;
      return this;
    }

    public ResultBus build() {
      return new ResultBus(this);
    }

    private static Duration requirePositive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0 but was " + value);
      }
      return value;
    }
  }
}
