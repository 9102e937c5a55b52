package dev.stampede;

import dev.stampede.engine.UserRuntime;

/**
 * A group of tasks that a {@link User} (or another task set) runs with {@code run(taskSet)}: its
 * {@link Task} methods are picked by weight, with waits between them, until a task calls
 * {@link #interrupt()}, which returns control to the parent. Create one inside a task:
 * {@code run(new CheckoutFlow())}.
 */
public abstract class TaskSet {

  private final UserRuntime runtime;

  /** Binds the task set to the user whose thread creates it. */
  protected TaskSet() {
    this.runtime = UserRuntime.current();
  }

  /** Called when the set starts running. */
  protected void onStart() {}

  /** Called when the set stops running: interrupted, or the run stops. */
  protected void onStop() {}

  /** The wait between two of this set's tasks. The default is the user's. */
  protected WaitTime waitTime() {
    return runtime.userWaitTime();
  }

  /** Ends this set after the current task and returns control to the parent. */
  protected final void interrupt() {
    throw new InterruptTaskSet();
  }

  /** The user running this set. */
  protected final User user() {
    return runtime.user();
  }

  /** The user's HTTP client. */
  protected final Http http() {
    return runtime.http();
  }

  /** Times {@code work} as a {@code custom} request, as {@link User#measure} does. */
  protected final <T> T measure(String name, java.util.concurrent.Callable<T> work) throws Exception {
    return runtime.measure(name, work);
  }

  /** Runs a nested set until it interrupts. */
  protected final void run(TaskSet taskSet) {
    runtime.runTaskSet(taskSet);
  }

  /** A uniformly random integer between {@code min} and {@code max}, inclusive. */
  protected final int random(int min, int max) {
    return java.util.concurrent.ThreadLocalRandom.current().nextInt(min, max + 1);
  }

  /** Whether the run is stopping this user. */
  protected final boolean stopping() {
    return runtime.stopping();
  }

  /** Thrown by {@link #interrupt()}; caught by the engine, never by scenario code. */
  public static final class InterruptTaskSet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InterruptTaskSet() {
      super("task set interrupted", null, false, false);
    }
  }
}
