package dev.stampede.cli;

import dev.stampede.Shard;
import dev.stampede.engine.StartGate;
import dev.stampede.store.ResultsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A shard's synchronized start ({@code --start-at}): once the run is prepared, optionally waits
 * until every shard has written its ready marker ({@code --expect-shards}; at most until the
 * instant plus the tolerance, after which it fails naming the missing shards), then waits for the
 * start instant and records how far from it the load actually began. A shard prepared later than
 * the instant plus the tolerance throws {@link LateStartException} (exit code 4) and sends no load,
 * unless it may join late.
 *
 * <p>The instant is a wall-clock time, so shards on different machines agree only as well as
 * their clocks do (NTP keeps cloud nodes within milliseconds); the recorded skew is measured
 * against this machine's clock.
 */
public final class StartSchedule implements StartGate {

  /** How often the barrier looks for the other shards' ready markers. */
  static final Duration BARRIER_POLL = Duration.ofMillis(200);

  private final Instant startAt;
  private final Duration tolerance;
  private final boolean joinLate;
  private final Shard shard;
  private final Clock clock;
  private final ResultsStore barrierStore;
  private final String runId;
  private volatile Duration skew;
  private volatile boolean cancelled;
  /** The thread in {@link #await()}, for {@link #cancel()} to wake. */
  private volatile Thread waiter;

  /**
   * @param barrierStore where ready markers go, or {@code null} for no barrier
   * @param runId the run's id, under which the markers are written
   */
  public StartSchedule(Instant startAt, Duration tolerance, boolean joinLate, Shard shard, Clock clock,
      ResultsStore barrierStore, String runId) {
    this.startAt = Objects.requireNonNull(startAt, "startAt");
    this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    this.joinLate = joinLate;
    this.shard = Objects.requireNonNull(shard, "shard");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.barrierStore = barrierStore;
    this.runId = runId;
  }

  /** The name of a shard's ready marker in the store. */
  public static String readyMarker(String runId, int index) {
    return runId + "/ready/shard-" + index;
  }

  /** The start instant. */
  public Instant startAt() {
    return startAt;
  }

  /** How much later than the instant the load began (negative: earlier), or null before the start. */
  public Duration skew() {
    return skew;
  }

  /**
   * Ends the wait: {@link #await()}, now or when it is called, throws {@link StartCancelledException}
   * instead of waiting for the other shards or the instant. Called from the shutdown hook (Ctrl-C,
   * SIGTERM); safe from any thread, any number of times.
   */
  public void cancel() {
    cancelled = true;
    Thread waiting = waiter;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  @Override
  public void await() {
    waiter = Thread.currentThread();
    try {
      awaitStart();
    } finally {
      waiter = null;
    }
  }

  private void awaitStart() {
    checkCancelled();
    if (barrierStore != null) {
      awaitEveryShard();
    }
    Instant now = clock.instant();
    Duration late = Duration.between(startAt, now);
    if (late.compareTo(tolerance) > 0 && !joinLate) {
      throw new LateStartException(String.format(Locale.ROOT,
          "shard %s was ready %.3f s after the start instant %s, later than --start-tolerance %.3fs allows;"
              + " it sent no load (--join-late starts it anyway)",
          shard, late.toNanos() / 1e9, startAt, tolerance.toNanos() / 1e9));
    }
    waitUntil(startAt);
    skew = Duration.between(startAt, clock.instant());
  }

  private void awaitEveryShard() {
    try {
      barrierStore.create(readyMarker(runId, shard.index()),
          clock.instant().toString().getBytes(StandardCharsets.UTF_8));
    } catch (FileAlreadyExistsException e) {
      throw new CannotRunException("shard " + shard + " of run " + runId + " is ready twice in "
          + barrierStore.location() + ": two processes run the same shard");
    } catch (IOException e) {
      throw new CannotRunException("cannot write the ready marker of shard " + shard + " to "
          + barrierStore.location() + ": " + e.getMessage(), e);
    }
    while (true) {
      checkCancelled();
      List<Integer> missing = missingShards();
      if (missing.isEmpty()) {
        return;
      }
      // A peer may be as late as this shard may be: the barrier waits until the tolerance is spent.
      if (!clock.instant().isBefore(startAt.plus(tolerance))) {
        throw new CannotRunException("shard " + shard + ": " + missing.size() + " of " + shard.count()
            + " shards were not ready within --start-tolerance of the start instant " + startAt + " (missing: "
            + missing + "); no load was sent");
      }
      LockSupport.parkNanos(BARRIER_POLL.toNanos());
    }
  }

  private List<Integer> missingShards() {
    List<String> names;
    try {
      names = barrierStore.list(runId + "/ready/");
    } catch (IOException e) {
      throw new CannotRunException("cannot list the ready markers in " + barrierStore.location() + ": "
          + e.getMessage(), e);
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < shard.count(); i++) {
      if (!names.contains(readyMarker(runId, i))) {
        missing.add(i);
      }
    }
    return missing;
  }

  private void checkCancelled() {
    if (cancelled) {
      throw new StartCancelledException("interrupted while shard " + shard + " waited for the start instant "
          + startAt + "; no load was sent");
    }
  }

  /** Sleeps most of the way, then parks in short steps so the start is within a millisecond. */
  private void waitUntil(Instant instant) {
    while (true) {
      checkCancelled();
      long remainingNanos = Duration.between(clock.instant(), instant).toNanos();
      if (remainingNanos <= 0) {
        return;
      }
      LockSupport.parkNanos(remainingNanos > 20_000_000L ? remainingNanos - 10_000_000L : Math.min(remainingNanos, 200_000L));
    }
  }
}
