package dev.stampede.engine;

import dev.stampede.Events;
import dev.stampede.Listener;
import dev.stampede.LoadShape;
import dev.stampede.RunInfo;
import dev.stampede.Shard;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.User;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.bus.OverflowPolicy;
import dev.stampede.bus.ResultBus;
import dev.stampede.carrier.CarrierLoop;
import dev.stampede.carrier.UserThreads;
import dev.stampede.http.TlsWarmup;
import dev.stampede.http.Urls;
import dev.stampede.stats.History;
import dev.stampede.stats.IntervalHistograms;
import dev.stampede.stats.RunStats;
import dev.stampede.support.WarnThenDebugLogger;
import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one load test in process: spawns users on virtual threads (closed model) or starts
 * iterations at a fixed arrival rate (open model), ticks statistics once a second, and at the end
 * stops users, drains the result bus into every listener and returns the {@link RunOutcome}.
 *
 * <pre>{@code
 * RunOutcome outcome = LoadTest.builder()
 *     .host("http://127.0.0.1:8080").userClasses(List.of(ShopUser.class))
 *     .users(50).spawnRate(10).runTime(Duration.ofMinutes(5))
 *     .build().run();
 * }</pre>
 */
public final class LoadTest {

  private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);
  /** How often the controller re-evaluates user counts and stop conditions. */
  private static final long CONTROL_SLICE_NANOS = 10_000_000L;
  private static final long TICK_MILLIS = 1_000;

  private final Builder config;
  private final RunControl control = new RunControl();
  private final TaskErrors taskErrors = new TaskErrors();
  private final AtomicInteger activeUsers = new AtomicInteger();
  private final AtomicInteger userIndex = new AtomicInteger();
  /** Every user's sink, for counting what is still in flight when the stop has cut users off. */
  private final Queue<UserSink> sinks = new ConcurrentLinkedQueue<>();
  private final List<Consumer<Snapshot>> tickHandlers = new CopyOnWriteArrayList<>();
  private volatile boolean stopRequested;
  private volatile boolean interrupted;
  private volatile String abortReason;
  private volatile RunStats stats;
  /** The run's bus, once it started: a reset of the statistics hands it what they still held. */
  private volatile ResultBus bus;
  private volatile int peakUsers;
  /** When the counted part of the run began: the start, or the end of the warm-up. */
  private volatile long measuredFromNanos;
  /** When the current statistics began: {@link #measuredFromNanos}, or the last reset. */
  private long statsFromNanos;
  /** Guards replacing {@link #stats} (warm-up end, reset) against the end of the run reading it. */
  private final Object statsLock = new Object();
  private boolean statsFinal;
  /** Where this run's users run: its carrier loops, or the JDK's scheduler. */
  private UserThreads userThreads;

  private LoadTest(Builder builder) {
    this.config = builder;
  }

  /**
   * Checks, before any load, the task sets that {@code userClasses} can run (those their own code
   * creates): a set whose tasks are declared wrongly, such as an {@code @Task(order)} given to some
   * of its tasks only or to two of them, would otherwise fail only when a user first runs it.
   *
   * @throws IllegalArgumentException naming the set and what is wrong with its tasks
   */
  public static void checkTaskSets(List<Class<? extends User>> userClasses) {
    userClasses.forEach(Tasks::checkTaskSets);
  }

  /** A builder with the defaults: 1 user, spawn rate 1/s, no run-time limit, no listener. */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds a handler called on the ticker thread after every one-second snapshot. */
  public void onTick(Consumer<Snapshot> handler) {
    tickHandlers.add(handler);
  }

  /** Stops the run gracefully; {@link #run()} then returns as after the run time. */
  public void stop() {
    stopRequested = true;
  }

  /** Stops the run because it was interrupted (Ctrl-C); the outcome says so. */
  public void interrupt() {
    interrupted = true;
    stopRequested = true;
  }

  /** Stops the run because a rule says it cannot pass, e.g. a KPI already lost. */
  public void abort(String reason) {
    abortReason = reason;
    stopRequested = true;
  }

  /** The live statistics, or {@code null} before the run starts. */
  public RunStats stats() {
    return stats;
  }

  /**
   * Starts the statistics afresh in the middle of a run, like Locust's reset button: the counts,
   * percentiles, failures and history begin again from now, and so does the duration the summary's
   * rates are computed over. What listeners receive and how long the run lasts do not change. Does
   * nothing before the run starts, during the warm-up (nothing is counted yet) or once it ended.
   *
   * @return whether the statistics were reset
   */
  public boolean resetStatistics() {
    synchronized (statsLock) {
      if (stats == null || statsFinal || control.warmingUp()) {
        return false;
      }
      RunStats retired = stats;
      stats = newStats(System.currentTimeMillis());
      statsFromNanos = System.nanoTime();
      // What the old statistics recorded since their last tick still goes to the listeners.
      ResultBus bus = this.bus;
      if (bus != null && bus.takesIntervals()) {
        tick(retired, bus, System.currentTimeMillis(), activeUsers.get());
      }
      return true;
    }
  }

  /** Users running now. */
  public int activeUsers() {
    return activeUsers.get();
  }

  /**
   * Runs the test to its end and returns what it produced.
   *
   * @throws ResultBus.ListenerStartException when a listener cannot start; no load was sent
   */
  public RunOutcome run() {
    // Our own TLS code is brought up to speed before the first user connects, so that the first
    // response times are the server's (TlsWarmup); usually started earlier by the command line.
    if (TlsWarmup.beginFor(config.host)) {
      TlsWarmup.awaitDone(TlsWarmup.WALL_CAP.plusSeconds(1));
    }
    // Milliseconds, as the statistics' clock. A result's statistics_from is when the load began,
    // after the listeners started (a second or two with the built-in ones), or a warm-up's end or
    // a reset.
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // Credentials in the host URL go to the target only, never into results, reports or listeners.
    RunInfo run = new RunInfo(config.runId, config.instance, Urls.redact(config.host), config.scenario, config.tags,
        startedAt);
    ResultBus.Builder busBuilder = ResultBus.builder().capacity(config.busCapacity)
        .overflowPolicy(config.overflowPolicy).stopTimeout(config.listenerStopTimeout);
    config.listeners.forEach(busBuilder::listener);
    config.losslessListeners.forEach(busBuilder::blockingListener);
    ResultBus bus = busBuilder.build();
    config.events.initHandlers().forEach(Runnable::run);
    bus.start(run);

    for (Consumer<RunInfo> handler : config.events.testStartHandlers()) {
      handler.accept(run);
    }
    if (config.startGate != StartGate.NONE) {
      awaitStartGate(run, bus);
    }
    // The statistics (and so the rates, and the end time that statistics_from plus the duration
    // gives) count from the moment the load began: after the listeners' start and any gate.
    this.bus = bus;
    stats = newStats(Instant.now().truncatedTo(ChronoUnit.MILLIS).toEpochMilli());
    control.warmingUp(!config.warmup.isZero());
    Thread ticker = Thread.ofPlatform().daemon().name("stampede-ticker").start(() -> tickLoop(bus));
    userThreads = UserThreads.start(config.carrierThreads);
    long startNanos = System.nanoTime();
    measuredFromNanos = startNanos;
    synchronized (statsLock) {
      statsFromNanos = startNanos;
    }
    try {
      Waiter users = config.arrivalRate > 0 || (config.shape != null && config.openModelShape)
          ? runOpenModel(bus, startNanos)
          : runClosedModel(bus, startNanos);
      stopUsers(users);
    } finally {
      userThreads.close();
    }
    RunStats counted;
    long durationNanos;
    synchronized (statsLock) {
      statsFinal = true;
      counted = stats;
      durationNanos = System.nanoTime() - statsFromNanos;
    }
    ticker.interrupt();
    joinQuietly(ticker);

    Snapshot last = tick(counted, bus, System.currentTimeMillis(), 0);
    double seconds = durationNanos / 1e9;
    Summary summary = new Summary(run, Instant.ofEpochMilli(counted.startMillis()), Duration.ofNanos(durationNanos),
        peakUsers, counted.endpoints(seconds),
        counted.total(seconds), counted.failures(), counted.dropped().total(), control.cancelled());
    StartDrops startDrops = new StartDrops(counted.dropped().within(StartDrops.windowFor(summary.duration())),
        StartDrops.windowFor(summary.duration()));
    bus.tick(last);
    for (Consumer<Summary> handler : config.events.testStopHandlers()) {
      try {
        handler.accept(summary);
      } catch (RuntimeException e) {
        LOG.warn("a test-stop hook failed: {}", WarnThenDebugLogger.describe(e));
      }
    }
    List<ListenerDelivery> deliveries = bus.stop(summary);
    return new RunOutcome(summary, deliveries, counted.history().points(), taskErrors.snapshot(), interrupted,
        abortReason, counted.histograms(), taskErrors.brokenScenario(), startDrops);
  }

  /** Waits at the start gate; when it throws, stops the listeners (nothing was sent) and rethrows. */
  private void awaitStartGate(RunInfo run, ResultBus bus) {
    try {
      config.startGate.await();
    } catch (RuntimeException e) {
      RunStats none = new RunStats(run.startedAt().toEpochMilli(), config.historyCapacity);
      bus.stop(new Summary(run, run.startedAt(), Duration.ZERO, 0, List.of(), none.total(0), List.of(), 0));
      throw e;
    }
  }

  // ---------------------------------------------------------------- closed model

  /**
   * Ends the warm-up once it has lasted its time: from then on results count, and statistics and
   * the run's clock start afresh. Returns the elapsed time of the counted run.
   */
  private Duration endWarmupIfDue(long now, long startNanos) {
    if (control.warmingUp()) {
      if (now - startNanos < config.warmup.toNanos()) {
        return Duration.ZERO;
      }
      synchronized (statsLock) {
        stats = newStats(System.currentTimeMillis());
        statsFromNanos = now;
      }
      measuredFromNanos = now;
      control.warmingUp(false);
    }
    return Duration.ofNanos(now - measuredFromNanos);
  }

  private Waiter runClosedModel(ResultBus bus, long startNanos) {
    UserMix mix = new UserMix(config.userClasses, config.shard);
    ShardedLoad sharded = new ShardedLoad(config.shard);
    LoadShape shape = sharded.split(config.shape);
    List<Spawned> running = new ArrayList<>();
    LoadShape.Target target = sharded.split(LoadShape.Target.users(config.users, config.spawnRate));
    long nextShapeTick = startNanos;
    double credit = 0;
    long last = startNanos;
    while (!stopRequested) {
      long now = System.nanoTime();
      Duration elapsed = Duration.ofNanos(now - startNanos);
      Duration measured = endWarmupIfDue(now, startNanos);
      if (shape != null) {
        if (now >= nextShapeTick) {
          target = shape.tick(elapsed);
          nextShapeTick += 1_000_000_000L;
          if (target == null) {
            break;
          }
        }
      } else if (config.runTime != null && !control.warmingUp() && measured.compareTo(config.runTime) >= 0) {
        break;
      }
      int diff = target.users() - running.size();
      if (diff == 0) {
        credit = 0;
      } else {
        credit = Math.min(credit + target.spawnRate() * (now - last) / 1e9, Math.abs(diff));
        // The first user of a ramp starts at once rather than after 1/rate seconds.
        int step = (int) Math.min(Math.abs(diff), Math.max(Math.floor(credit), running.isEmpty() && diff > 0 ? 1 : 0));
        credit -= step;
        for (int i = 0; i < step; i++) {
          if (diff > 0) {
            Class<? extends User> type = mix.next();
            if (type == null) {
              break;
            }
            running.add(spawn(type, bus));
          } else {
            running.remove(running.size() - 1).runtime.requestStop();
          }
        }
      }
      last = now;
      peakUsers = Math.max(peakUsers, activeUsers.get());
      LockSupport.parkNanos(CONTROL_SLICE_NANOS);
    }
    List<Thread> threads = new ArrayList<>();
    for (Spawned spawned : running) {
      threads.add(spawned.thread);
    }
    return new Waiter(threads, List.of());
  }

  private record Spawned(Thread thread, UserRuntime runtime) {}

  private Spawned spawn(Class<? extends User> type, ResultBus bus) {
    UserRuntime runtime = newRuntime(bus);
    activeUsers.incrementAndGet();
    Thread thread = UserThreads.unstarted(userThreads.nextLoop(), "user-" + runtime.index(), () -> {
      runtime.bindToCurrentThread();
      try {
        User user = instantiate(type, runtime);
        if (user != null) {
          runUserLifecycle(runtime, user);
        }
      } finally {
        runtime.closeHttp();
        UserRuntime.unbindCurrentThread();
        activeUsers.decrementAndGet();
      }
    });
    thread.start();
    return new Spawned(thread, runtime);
  }

  private void runUserLifecycle(UserRuntime runtime, User user) {
    try {
      Tasks.runUser(runtime, user);
    } catch (UserRuntime.UserStopped e) {
      // The run or the load shape stopped this user.
    } catch (Throwable t) {
      taskErrors.record(user.getClass().getSimpleName(), t);
    } finally {
      callOnStop(runtime, user);
    }
  }

  private void callOnStop(UserRuntime runtime, User user) {
    try {
      Tasks.onStop(user);
    } catch (UserRuntime.UserStopped e) {
      // A wait inside onStop at the end of a run: nothing left to do.
    } catch (Throwable t) {
      taskErrors.record(user.getClass().getSimpleName() + ".onStop", t);
    }
  }

  private UserRuntime newRuntime(ResultBus bus) {
    UserSink sink = new UserSink(this::currentStats, bus, config.events, control, config.tags);
    sinks.add(sink);
    return new UserRuntime(userIndex.getAndIncrement(), config.host, config.urlPath, sink, config.httpFactory,
        control, taskErrors, config.shard);
  }

  private RunStats currentStats() {
    return stats;
  }

  private User instantiate(Class<? extends User> type, UserRuntime runtime) {
    try {
      User user;
      if (config.userFactory != null) {
        user = Objects.requireNonNull(config.userFactory.apply(type), "userFactory returned null");
      } else {
        Constructor<? extends User> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        user = constructor.newInstance();
      }
      runtime.attach(user);
      return user;
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
      taskErrors.userFailed(type.getSimpleName() + ".<init>", cause);
      return null;
    }
  }

  // ---------------------------------------------------------------- open model

  private final class PooledUser {
    final UserRuntime runtime;
    /** Every iteration of this user runs on the same loop, where its keep-alive connection polls. */
    final CarrierLoop loop = userThreads.nextLoop();
    User user;
    boolean failed;

    PooledUser(UserRuntime runtime) {
      this.runtime = runtime;
    }
  }

  private Waiter runOpenModel(ResultBus bus, long startNanos) {
    UserMix mix = new UserMix(config.userClasses, config.shard);
    ShardedLoad sharded = new ShardedLoad(config.shard);
    LoadShape shape = sharded.split(config.shape);
    ConcurrentLinkedQueue<PooledUser> idle = new ConcurrentLinkedQueue<>();
    List<PooledUser> created = new ArrayList<>();
    List<Thread> inFlight = new CopyOnWriteArrayList<>();
    LoadShape.Target part = sharded.split(LoadShape.Target.arrivals(config.arrivalRate, config.users));
    double rate = part.arrivalRate();
    int maxUsers = part.users();
    long nextShapeTick = startNanos;
    long nextIntended = startNanos + sharded.phaseNanos(config.arrivalRate);
    while (!stopRequested) {
      long now = System.nanoTime();
      Duration elapsed = Duration.ofNanos(now - startNanos);
      Duration measured = endWarmupIfDue(now, startNanos);
      if (shape != null) {
        if (now >= nextShapeTick) {
          LoadShape.Target target = shape.tick(elapsed);
          nextShapeTick += 1_000_000_000L;
          if (target == null) {
            break;
          }
          if (rate == 0 && target.arrivalRate() > 0) {
            nextIntended = now;
          }
          rate = target.arrivalRate();
          maxUsers = Math.max(1, target.users());
        }
      } else if (config.runTime != null && !control.warmingUp() && measured.compareTo(config.runTime) >= 0) {
        break;
      }
      if (rate <= 0) {
        LockSupport.parkNanos(CONTROL_SLICE_NANOS);
        continue;
      }
      long spacing = Math.max(1, (long) (1e9 / rate));
      while (nextIntended <= now) {
        PooledUser pooled = idle.poll();
        if (pooled == null && created.size() < maxUsers) {
          pooled = new PooledUser(newRuntime(bus));
          created.add(pooled);
        }
        if (pooled == null) {
          // Into the current statistics: drops of the warm-up go with the rest of it.
          stats.dropped().record(System.currentTimeMillis());
        } else {
          startIteration(pooled, mix, nextIntended, idle, inFlight);
        }
        nextIntended += spacing;
      }
      peakUsers = Math.max(peakUsers, activeUsers.get());
      LockSupport.parkNanos(Math.min(nextIntended - System.nanoTime(), CONTROL_SLICE_NANOS));
    }
    return new Waiter(inFlight, created);
  }

  private void startIteration(PooledUser pooled, UserMix mix, long intendedNanos, ConcurrentLinkedQueue<PooledUser> idle,
      List<Thread> inFlight) {
    activeUsers.incrementAndGet();
    Thread thread = UserThreads.unstarted(pooled.loop, "user-" + pooled.runtime.index(), () -> {
      pooled.runtime.bindToCurrentThread();
      try {
        if (pooled.user == null && !pooled.failed) {
          Class<? extends User> type;
          synchronized (mix) {
            type = mix.next();
          }
          User user = type == null ? null : instantiate(type, pooled.runtime);
          if (user != null && !Tasks.start(pooled.runtime, user)) {
            // A user that could not start runs no task (and has no onStop due), as in the closed model.
            user = null;
          }
          pooled.user = user;
          pooled.failed = user == null;
        }
        if (pooled.user != null && !pooled.runtime.stopping()) {
          pooled.runtime.sink().intendedStart(intendedNanos);
          Tasks.runOneTask(pooled.runtime, pooled.user);
        }
      } catch (UserRuntime.UserStopped e) {
        // Stopping.
      } catch (Throwable t) {
        taskErrors.record(pooled.user == null ? "user" : pooled.user.getClass().getSimpleName(), t);
      } finally {
        UserRuntime.unbindCurrentThread();
        activeUsers.decrementAndGet();
        inFlight.remove(Thread.currentThread());
        idle.offer(pooled);
      }
    });
    inFlight.add(thread);
    thread.start();
  }

  // ---------------------------------------------------------------- stopping

  /** The threads still running at stop, and (open model) the pooled users whose onStop is due. */
  private record Waiter(List<Thread> threads, List<PooledUser> pooled) {}

  private void stopUsers(Waiter waiter) {
    control.stop();
    // Users waiting between tasks park for the whole wait: wake them to see the stop.
    waiter.threads.forEach(LockSupport::unpark);
    long deadline = System.nanoTime() + config.stopTimeout.toNanos();
    if (!joinAll(waiter.threads, deadline)) {
      // Past the stop timeout: results of requests cut off now would be artefacts of stopping.
      control.stopAccepting();
      waiter.threads.forEach(Thread::interrupt);
      joinAll(waiter.threads, System.nanoTime() + Duration.ofSeconds(5).toNanos());
      // A user whose request has not unwound by now (stuck where an interrupt does not reach) is
      // still counted, from its sink's in-flight mark rather than from its own record.
      sinks.forEach(UserSink::countIfStillInFlight);
    }
    if (!waiter.pooled.isEmpty()) {
      List<Thread> stoppers = new ArrayList<>();
      for (PooledUser pooled : waiter.pooled) {
        if (pooled.user != null) {
          Thread stopper = UserThreads.unstarted(pooled.loop, "user-" + pooled.runtime.index(), () -> {
            pooled.runtime.bindToCurrentThread();
            try {
              callOnStop(pooled.runtime, pooled.user);
            } finally {
              pooled.runtime.closeHttp();
              UserRuntime.unbindCurrentThread();
            }
          });
          stopper.start();
          stoppers.add(stopper);
        }
      }
      joinAll(stoppers, System.nanoTime() + Duration.ofSeconds(5).toNanos());
    }
    control.stopAccepting();
  }

  private static boolean joinAll(List<Thread> threads, long deadlineNanos) {
    for (Thread thread : threads) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return threads.stream().noneMatch(Thread::isAlive);
      }
      try {
        thread.join(Duration.ofNanos(remaining));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- ticking

  /**
   * Ticks {@code stats} and hands the listeners fed intervals what the tick took; the caller passes
   * the snapshot on. Every tick goes through here (the ticker's, a reset's, the last one), so no
   * interval is left behind.
   */
  private static Snapshot tick(RunStats stats, ResultBus bus, long nowMillis, int users) {
    Snapshot snapshot = stats.tick(nowMillis, users);
    stats.takeIntervals().forEach(bus::interval);
    return snapshot;
  }

  /** Statistics starting at {@code startMillis}, with the run's interval outputs. */
  private RunStats newStats(long startMillis) {
    RunStats fresh = new RunStats(startMillis, config.historyCapacity);
    fresh.intervalHistograms(config.intervalHistograms);
    fresh.intervalsForListeners(bus != null && bus.takesIntervals());
    return fresh;
  }

  /**
   * Ticks on the wall clock's whole seconds, so that a tick's interval lies within one second of
   * the wall clock and listeners' steps (whole seconds since the epoch) take whole intervals. The
   * first tick is the first whole second after the start, however close: a first interval that
   * spanned a second would put two seconds' results into one step.
   */
  private void tickLoop(ResultBus bus) {
    long now = System.currentTimeMillis();
    long next = now / TICK_MILLIS * TICK_MILLIS + TICK_MILLIS;
    while (!Thread.currentThread().isInterrupted()) {
      // Never before the second: an interval that started early would fall in the step before.
      while ((now = System.currentTimeMillis()) < next) {
        try {
          Thread.sleep(next - now);
        } catch (InterruptedException e) {
          return;
        }
      }
      next += TICK_MILLIS;
      if (next <= now) {
        next = now / TICK_MILLIS * TICK_MILLIS + TICK_MILLIS; // a pause skipped ticks: keep to the seconds
      }
      int users = activeUsers.get();
      peakUsers = Math.max(peakUsers, users);
      Snapshot snapshot = tick(stats, bus, now, users);
      bus.tick(snapshot);
      for (Consumer<Snapshot> handler : tickHandlers) {
        try {
          handler.accept(snapshot);
        } catch (RuntimeException e) {
          LOG.warn("a tick handler failed: {}", WarnThenDebugLogger.describe(e));
        }
      }
    }
  }

  // ---------------------------------------------------------------- builder

  /** Builds a {@link LoadTest}; every setter checks its argument. */
  public static final class Builder {
    private String host = "";
    private String urlPath;
    private List<Class<? extends User>> userClasses = List.of();
    private int users = 1;
    private double spawnRate = 1;
    private Duration runTime;
    private double arrivalRate;
    private LoadShape shape;
    private boolean openModelShape;
    private Duration stopTimeout = Duration.ZERO;
    private Duration warmup = Duration.ZERO;
    private Duration listenerStopTimeout = dev.stampede.bus.ResultBus.DEFAULT_STOP_TIMEOUT;
    private String runId = UUID.randomUUID().toString().substring(0, 8);
    private String instance = defaultInstance();
    private String scenario = "";
    private Map<String, String> tags = Map.of();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Map<String, Listener> losslessListeners = new LinkedHashMap<>();
    private Events events = new Events();
    private HttpFactory httpFactory = (h, sink) -> {
      throw new IllegalStateException("no HTTP client is configured for this run");
    };
    private int busCapacity = 65_536;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;
    private int historyCapacity = History.DEFAULT_CAPACITY;
    private int carrierThreads = Runtime.getRuntime().availableProcessors();
    private Shard shard = Shard.WHOLE;
    private StartGate startGate = StartGate.NONE;
    private IntervalHistograms intervalHistograms;
    private Function<Class<? extends User>, ? extends User> userFactory;

    private Builder() {}

    /**
     * Creates each user, on the user's own thread, from the class the mix picked, instead of its
     * no-argument constructor. Package-private: tests hand their users per-test state through it.
     */
    Builder userFactory(Function<Class<? extends User>, ? extends User> factory) {
      this.userFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Runs only this shard's part of the load: users, spawn rate, arrival rate, fixed counts and a
     * load shape's targets are split so that the shards sum exactly to the whole ({@link Shard}).
     * The default is {@link Shard#WHOLE}, which splits nothing.
     */
    public Builder shard(Shard shard) {
      this.shard = Objects.requireNonNull(shard, "shard");
      return this;
    }

    /**
     * What the prepared run waits for before its first user starts (a synchronized start). The
     * statistics then count from the end of the wait. The default is {@link StartGate#NONE}.
     */
    public Builder startGate(StartGate gate) {
      this.startGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /** Receives each tick's interval histograms (e.g. an HdrHistogram log). The default is none. */
    public Builder intervalHistograms(IntervalHistograms sink) {
      this.intervalHistograms = sink;
      return this;
    }

    /** The target base URL, e.g. {@code http://127.0.0.1:8080}. The default is none. */
    public Builder host(String host) {
      this.host = host == null ? "" : host;
      return this;
    }

    /** {@code --url} mode: every user requests {@code path} in a loop, without waiting. */
    public Builder url(String path) {
      this.urlPath = Objects.requireNonNull(path, "path");
      this.userClasses = List.of(UrlUser.class);
      return this;
    }

    /** The user classes of the scenario; at least one. */
    public Builder userClasses(List<Class<? extends User>> classes) {
      if (classes.isEmpty()) {
        throw new IllegalArgumentException("userClasses must not be empty");
      }
      this.userClasses = List.copyOf(classes);
      return this;
    }

    /** Closed model: users to run; open model: the most concurrent users. The default is 1. */
    public Builder users(int users) {
      if (users < 1) {
        throw new IllegalArgumentException("users must be >= 1 but was " + users);
      }
      this.users = users;
      return this;
    }

    /** Users started per second while ramping up. The default is 1. */
    public Builder spawnRate(double rate) {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("spawnRate must be > 0 but was " + rate);
      }
      this.spawnRate = rate;
      return this;
    }

    /** How long the load runs; {@code null} runs until {@link LoadTest#stop()}. The default is null. */
    public Builder runTime(Duration runTime) {
      if (runTime != null && (runTime.isNegative() || runTime.isZero())) {
        throw new IllegalArgumentException("runTime must be > 0 but was " + runTime);
      }
      this.runTime = runTime;
      return this;
    }

    /** Open model: iterations started per second; 0 for the closed model (the default). */
    public Builder arrivalRate(double rate) {
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("arrivalRate must be >= 0 but was " + rate);
      }
      this.arrivalRate = rate;
      return this;
    }

    /** A load shape that drives users (and, for the open model, arrival rate) instead of users/runTime. */
    public Builder shape(LoadShape shape, boolean openModel) {
      this.shape = shape;
      this.openModelShape = openModel;
      return this;
    }

    /** How long users may finish their current task at stop before they are cut off. The default is 0. */
    public Builder stopTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout must be >= 0 but was " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Load that runs before the measured run and is counted nowhere (JIT, caches, connection pools
     * warm up); the run time starts after it. The default is none.
     */
    public Builder warmup(Duration warmup) {
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("warmup must be >= 0 but was " + warmup);
      }
      this.warmup = warmup;
      return this;
    }

    /**
     * How long listeners may take to drain and flush at stop ({@code listener.stop-timeout}); the
     * bus gives up on a listener still busy then. The default is 15 seconds.
     */
    public Builder listenerStopTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("listenerStopTimeout must be > 0 but was " + timeout);
      }
      this.listenerStopTimeout = timeout;
      return this;
    }

    /** The run's id. The default is 8 random hex digits. */
    public Builder runId(String runId) {
      if (runId == null || runId.isBlank()) {
        throw new IllegalArgumentException("runId must not be blank");
      }
      this.runId = runId;
      return this;
    }

    /** This generator's name. The default is the host name. */
    public Builder instance(String instance) {
      this.instance = Objects.requireNonNull(instance, "instance");
      return this;
    }

    /** The scenario's name for reports. */
    public Builder scenario(String scenario) {
      this.scenario = Objects.requireNonNull(scenario, "scenario");
      return this;
    }

    /** The run's tags. */
    public Builder tags(Map<String, String> tags) {
      this.tags = Map.copyOf(tags);
      return this;
    }

    /** Adds a listener fed through the bus; results are dropped and counted when its queue is full. */
    public Builder listener(String name, Listener listener) {
      listeners.put(name, listener);
      return this;
    }

    /** Adds a listener that must not lose results (a raw log): publishing waits for its queue. */
    public Builder losslessListener(String name, Listener listener) {
      losslessListeners.put(name, listener);
      return this;
    }

    /** The event hooks. */
    public Builder events(Events events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Creates each user's HTTP client. */
    public Builder httpFactory(HttpFactory factory) {
      this.httpFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The platform threads that run the users and poll their sockets ({@link UserThreads}); users
     * are spread over them evenly. The default is the number of cores.
     */
    public Builder carrierThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("carrierThreads must be >= 1 but was " + threads);
      }
      this.carrierThreads = threads;
      return this;
    }

    /** Results each listener's queue holds. The default is 65,536. */
    public Builder busCapacity(int capacity) {
      this.busCapacity = capacity;
      return this;
    }

    /** What happens when a listener's queue is full. The default is drop and count. */
    public Builder overflowPolicy(OverflowPolicy policy) {
      this.overflowPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public LoadTest build() {
      if (userClasses.isEmpty()) {
        throw new IllegalStateException("a load test needs user classes or a url");
      }
      return new LoadTest(this);
    }

    private static String defaultInstance() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        return "localhost";
      }
    }
  }
}
