package dev.stampede.carrier;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the virtual threads that run one run's users: on that run's {@link CarrierLoop}s, handed
 * out round robin, when this JVM allows it; otherwise on the JDK's own scheduler.
 *
 * <p>A virtual thread with a scheduler of its own is a JDK test hook, not public API: it needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the {@code stampede} launcher and the build's
 * tests pass it). Loops are used only from JDK 24 on, where a virtual thread inside
 * {@code synchronized} no longer pins its carrier: a pinned user that parks would hold its loop.
 * {@code -Dstampede.scheduler=jdk} turns them off.
 *
 * <p>Falling back to the JDK's scheduler without being asked to is said once, at warn level (on
 * standard error under the CLI): users then run, but slower (BENCHMARKS.md). So is a loop that fails
 * its start-up self-test: each new loop must run a virtual thread within {@link #SELF_TEST_TIMEOUT},
 * else the run uses the JDK's scheduler rather than users that would never run.
 */
public final class UserThreads implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UserThreads.class);
  /** How long a new loop has to run its first virtual thread before the run falls back. */
  static final Duration SELF_TEST_TIMEOUT = Duration.ofSeconds(10);
  /** Why users fall back to the JDK's scheduler, or {@code null} (loops, or asked for the JDK's). */
  private static String fallbackReason;
  private static final Constructor<?> SCHEDULED_BUILDER = scheduledBuilder();
  private static final AtomicBoolean FALLBACK_WARNED = new AtomicBoolean();

  private final CarrierLoop[] loops;
  private int next;

  private UserThreads(CarrierLoop[] loops) {
    this.loops = loops;
  }

  /**
   * Starts {@code carriers} loops (none when loops cannot be used here; users then run on the JDK's
   * scheduler, whose parallelism is the number of cores).
   */
  public static UserThreads start(int carriers) {
    return start(carriers, UserThreads::answers, LOG::warn);
  }

  /**
   * {@link #start(int)} with the self-test and the warning's destination given.
   *
   * @param selfTest whether a new loop runs a virtual thread
   * @param warn where a fallback is said
   */
  static UserThreads start(int carriers, Predicate<CarrierLoop> selfTest, Consumer<String> warn) {
    if (carriers < 1) {
      throw new IllegalArgumentException("carriers must be >= 1 but was " + carriers);
    }
    if (SCHEDULED_BUILDER == null) {
      if (fallbackReason != null && FALLBACK_WARNED.compareAndSet(false, true)) {
        warn.accept("users run on the JDK's scheduler, not on carrier loops: " + fallbackReason);
      }
      return new UserThreads(new CarrierLoop[0]);
    }
    CarrierLoop[] loops = new CarrierLoop[carriers];
    for (int i = 0; i < carriers; i++) {
      loops[i] = new CarrierLoop("stampede-carrier-" + i);
    }
    for (CarrierLoop loop : loops) {
      if (!selfTest.test(loop)) {
        for (CarrierLoop started : loops) {
          started.close();
        }
        warn.accept("users run on the JDK's scheduler for this run: carrier loop " + loop
            + " did not run a virtual thread within " + SELF_TEST_TIMEOUT.toSeconds() + " s of its start");
        return new UserThreads(new CarrierLoop[0]);
      }
    }
    return new UserThreads(loops);
  }

  /** Whether {@code loop} runs a virtual thread within {@link #SELF_TEST_TIMEOUT}. */
  static boolean answers(CarrierLoop loop) {
    CountDownLatch ran = new CountDownLatch(1);
    unstarted(loop, "stampede-self-test", ran::countDown).start();
    try {
      return ran.await(SELF_TEST_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether users run on carrier loops in this JVM (else on the JDK's scheduler). */
  public static boolean available() {
    return SCHEDULED_BUILDER != null;
  }

  /**
   * The loop for the next user, round robin, or {@code null} on the JDK's scheduler. Called by the
   * thread that controls the run.
   */
  public CarrierLoop nextLoop() {
    if (loops.length == 0) {
      return null;
    }
    CarrierLoop loop = loops[next];
    next = (next + 1) % loops.length;
    return loop;
  }

  /**
   * An unstarted virtual thread named {@code name} that runs {@code task} on {@code loop}, or on
   * the JDK's scheduler when {@code loop} is {@code null}.
   */
  public static Thread unstarted(CarrierLoop loop, String name, Runnable task) {
    if (loop == null) {
      return Thread.ofVirtual().name(name).unstarted(task);
    }
    try {
      Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) SCHEDULED_BUILDER.newInstance((Executor) loop);
      return builder.name(name).unstarted(() -> {
        CarrierLoop.bindCurrentThread(loop);
        task.run();
      });
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a virtual thread on " + loop, e);
    }
  }

  /**
   * Yields once. A long-lived user thread calls this from the frame of its task loop, before its
   * user's code runs, so that the frames under that loop end up in a stack chunk of their own size.
   *
   * <p>Why: parking freezes a virtual thread's frames into a stack chunk on the heap. HotSpot thaws
   * a chunk that holds an interpreted frame, or that a collection has moved, a frame at a time as
   * the thread returns, so the frames a user never returns to (those under its task loop) stay in
   * whichever chunk held them then. Without this that is the chunk of the user's first, deepest park
   * (its first connect, still in cold code): a heap dump of 10,000 waiting users showed 4.1 KB of
   * chunk per user for 1 KB of such frames, beside a 1.3 KB chunk for its current wait. Called any
   * higher up, the loop's callers would get stuck in a later chunk the same way; called after user
   * code parked, the yield would reuse that code's chunk, emptied but just as large. The
   * {@code stampede} launcher keeps this method interpreted
   * ({@code -XX:CompileCommand=exclude,dev.stampede.carrier.UserThreads::settleBaseFrames}), so the
   * yield's chunk is thawed a frame at a time and keeps the bottom frames at their own size: 1.6 KB.
   * Without that option this is a plain yield.
   */
  public static void settleBaseFrames() {
    Thread.yield();
  }

  /** Stops the loops; call once the users ended or were given up on. */
  @Override
  public void close() {
    for (CarrierLoop loop : loops) {
      loop.close();
    }
  }

  private static Constructor<?> scheduledBuilder() {
    if ("jdk".equals(System.getProperty("stampede.scheduler"))) {
      return null;
    }
    if (Runtime.version().feature() < 24) {
      fallbackReason = "they need JDK 24+ (a virtual thread in synchronized pins its carrier before), this is "
          + Runtime.version().feature() + "; expect lower throughput (BENCHMARKS.md)";
      return null;
    }
    try {
      Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
      Constructor<?> constructor = type.getDeclaredConstructor(Executor.class);
      constructor.setAccessible(true);
      return constructor;
    } catch (ReflectiveOperationException | RuntimeException e) {
      fallbackReason = "the JVM denies them (" + e.getClass().getSimpleName() + "): run through the stampede"
          + " launcher or add --add-opens java.base/java.lang=ALL-UNNAMED; expect lower throughput (BENCHMARKS.md)";
      return null;
    }
  }
}
