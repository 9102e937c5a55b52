package dev.stampede.examples.friendservice;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where seeding stands: {@link State#SEEDING} until every seed user is stored, then
 * {@link State#READY}, or {@link State#FAILED} for good. Written by the seeder thread, read by
 * request handlers; thread-safe.
 */
final class Readiness {

  /** The seeding states, in the order they are passed through. */
  enum State {
    SEEDING, READY, FAILED
  }

  private final int targetUsers;
  private final AtomicInteger seededUsers = new AtomicInteger();
  private final CountDownLatch settled = new CountDownLatch(1);
  private volatile State state = State.SEEDING;
  private volatile String failure;

  Readiness(int targetUsers) {
    this.targetUsers = targetUsers;
  }

  State state() {
    return state;
  }

  boolean isReady() {
    return state == State.READY;
  }

  int targetUsers() {
    return targetUsers;
  }

  int seededUsers() {
    return seededUsers.get();
  }

  /** Why seeding failed, or null. */
  String failure() {
    return failure;
  }

  void addSeeded(int users) {
    seededUsers.addAndGet(users);
  }

  void markReady() {
    state = State.READY;
    settled.countDown();
  }

  void markFailed(String reason) {
    failure = reason;
    state = State.FAILED;
    settled.countDown();
  }

  /** Waits until seeding has finished or failed; true when ready. */
  boolean await(Duration timeout) throws InterruptedException {
    settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return isReady();
  }
}
