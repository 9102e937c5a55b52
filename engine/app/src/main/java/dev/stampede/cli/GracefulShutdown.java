package dev.stampede.cli;

import dev.stampede.config.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Ctrl-C (SIGINT) and SIGTERM stop a run gracefully, within a bound.
 *
 * <p>A shutdown hook asks the run to stop, then holds the JVM open while the run's thread stops its
 * users, flushes the listeners and writes every result file. It holds it at most the bound: a
 * listener or a hook that hangs must not keep a terminating pod past its grace period (30 seconds
 * by default in Kubernetes, after which the kubelet sends SIGKILL and the flush is lost anyway).
 * Past the bound the process exits with what was done by then, and says so.
 *
 * <p>The exit code is the JVM's for the signal: 130 for SIGINT, 143 for SIGTERM (128 + the
 * signal's number, what shells, CI runners and Kubernetes expect), whatever the run's verdict.
 */
final class GracefulShutdown {

  private final Duration bound;
  private final PrintWriter err;
  private final Runnable onSignal;

  /**
   * @param bound how long the hook waits for the graceful stop
   * @param err where the hook says that it gave up
   * @param onSignal asks the run to stop; called on the hook's thread
   */
  GracefulShutdown(Duration bound, PrintWriter err, Runnable onSignal) {
    if (bound.isNegative() || bound.isZero()) {
      throw new IllegalArgumentException("bound must be > 0 but was " + bound);
    }
    this.bound = bound;
    this.err = err;
    this.onSignal = onSignal;
  }

  /** Runs {@code work} with the hook installed, and returns its exit code. */
  int run(IntSupplier work) {
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      onSignal.run();
      try {
        if (!finished.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
          err.println("stampede: the graceful stop did not finish within " + Durations.format(bound)
              + " (--shutdown-timeout); exiting without the rest of it");
          err.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "stampede-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return work.getAsInt();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down (a signal): the hook is running and has just been released.
      }
    }
  }
}
