package dev.stampede.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces response timeouts by closing the socket of a connection whose response is late, so
 * that socket reads need no timeout of their own.
 *
 * <p>Why not {@code SO_TIMEOUT}: a timed read on a virtual thread is a timed park, and every timed
 * park schedules a wake-up task with the carrier pool's delay scheduler and cancels it again when
 * the data arrives. Profiling the closed loop against nginx showed that bookkeeping (and the
 * thread wake-ups it causes) as a large share of the client's CPU time per request. One daemon
 * thread checking every connection's deadline a few times a second costs almost nothing in
 * comparison; the price is that a timeout fires up to {@link #PERIOD_MILLIS} ms late.
 */
final class Watchdog {

  /** How often deadlines are checked, in milliseconds; a timeout fires at most this much late. */
  static final long PERIOD_MILLIS = 20;

  private static final Set<Connection> CONNECTIONS = ConcurrentHashMap.newKeySet();
  private static volatile Thread thread;

  private Watchdog() {}

  static void register(Connection connection) {
    CONNECTIONS.add(connection);
    if (thread == null) {
      start();
    }
  }

  static void unregister(Connection connection) {
    CONNECTIONS.remove(connection);
  }

  private static synchronized void start() {
    if (thread == null) {
      thread = Thread.ofPlatform().daemon().name("stampede-http-timeouts").start(Watchdog::loop);
    }
  }

  private static void loop() {
    while (true) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
      long now = System.nanoTime();
      for (Connection connection : CONNECTIONS) {
        connection.expireIfLate(now);
      }
    }
  }
}
