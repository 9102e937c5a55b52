package dev.stampede.carrier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that is both the scheduler of a group of virtual threads and the poller of
 * their sockets, the way a Go processor runs goroutines and its netpoller on one OS thread.
 *
 * <p>Why: with the JDK's scheduler a user blocked on a socket costs, per response, a failed read,
 * an {@code epoll_ctl}, a wake-up of the JDK's poller thread, a hand-over to a carrier and often a
 * futex wake of that carrier (BENCHMARKS.md, issue 8). Here a user waiting for its socket parks
 * with its channel registered in this loop's selector; one {@code epoll_wait} then reports many
 * ready sockets, and their users are resumed on this same thread without any thread hand-over.
 *
 * <p>The loop alternates between running every queued virtual thread and polling; it blocks in
 * {@link Selector#select} only when nothing is queued, and {@link #execute} wakes it then.
 * Virtual threads that block in the JDK's own I/O (a {@code java.net.Socket}, a JDBC driver) still
 * work: the JDK's poller resumes them through {@link #execute} from its own thread. What this loop
 * cannot do is compensate for an operation that holds the carrier (a DNS lookup, file I/O, a long
 * computation): the other users of the same loop wait meanwhile. {@code -Dstampede.scheduler=jdk}
 * falls back to the JDK's scheduler ({@link UserThreads}).
 */
public final class CarrierLoop implements Executor, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CarrierLoop.class);
  /** The loop of the current virtual thread, set when a thread started by {@link UserThreads} runs. */
  private static final ThreadLocal<CarrierLoop> CURRENT = new ThreadLocal<>();

  private final Selector selector;
  private final MpscUnboundedArrayQueue<Runnable> queue = new MpscUnboundedArrayQueue<>(1024);
  private final Thread thread;
  /** True while the loop blocks in select: only then must {@link #execute} wake it up. */
  private volatile boolean selecting;
  private volatile boolean closed;

  CarrierLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for " + name, e);
    }
    thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
  }

  /** The loop the current thread runs on, or {@code null} when it runs on none. */
  public static CarrierLoop current() {
    return CURRENT.get();
  }

  static void bindCurrentThread(CarrierLoop loop) {
    CURRENT.set(loop);
  }

  /** Queues a task (a virtual thread's continuation) to run on this loop; callable from any thread. */
  @Override
  public void execute(Runnable task) {
    queue.offer(task);
    // offer is a full fence, so either the loop sees the task before it blocks, or this sees it blocking.
    // The loop's own thread gets here from inside select, unparking the users whose sockets are
    // ready; it polls its queue right after, so waking its selector would only cost two syscalls.
    if (selecting && Thread.currentThread() != thread) {
      selector.wakeup();
    }
  }

  Selector selector() {
    return selector;
  }

  /**
   * Stops the loop once it finishes what it runs now and closes its selector. A virtual thread still
   * parked on it never resumes, so close only after its users ended (or were given up on).
   */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    try {
      runUntilClosed();
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }

  private void runUntilClosed() {
    int failures = 0;
    while (!closed) {
      // Run what is queued now, then poll once, so neither the users nor the sockets starve.
      for (int batch = queue.size(); batch > 0; batch--) {
        Runnable task = queue.relaxedPoll();
        if (task == null) {
          break;
        }
        run(task);
      }
      try {
        if (!queue.isEmpty()) {
          selector.selectNow(CarrierLoop::ready);
        } else {
          selecting = true;
          try {
            if (queue.isEmpty() && !closed) {
              selector.select(CarrierLoop::ready);
            } else {
              selector.selectNow(CarrierLoop::ready);
            }
          } finally {
            selecting = false;
          }
        }
        failures = 0;
      } catch (IOException | RuntimeException e) {
        // A failing selector stalls this loop's sockets: say so once, and keep running tasks
        // without spinning on the failure.
        if (failures++ == 0) {
          LOG.error("{}: polling sockets failed: {}", thread.getName(), e.toString());
        }
        LockSupport.parkNanos(10_000_000L);
      }
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      // A virtual thread's continuation handles its own exceptions; anything here is a JDK fault.
      LOG.error("a task on a carrier loop failed", t);
    }
  }

  private static void ready(SelectionKey key) {
    ((PolledSocket) key.attachment()).ready(key);
  }

  @Override
  public String toString() {
    return thread.getName();
  }
}
