package dev.stampede;

import dev.stampede.engine.UserRuntime;
import java.util.concurrent.Callable;

/**
 * A simulated user: subclass it, annotate methods with {@link Task}, and the engine runs each
 * instance on its own virtual thread, picking tasks by weight and waiting {@link #waitTime()}
 * between them, until the run stops.
 *
 * <pre>{@code
 * public class ShopUser extends User {
 *   protected WaitTime waitTime() { return WaitTime.between(1, 2); }
 *
 *   @Task(3) void browse() { http().get("/store/inventory"); }
 *   @Task(1) void view()   { http().get("/store/item/" + random(1, 1000), o -> o.name("/store/item/[id]")); }
 * }
 * }</pre>
 *
 * <p>Instances are created by the engine (a public or package-private no-argument constructor is
 * needed) and hold per-user state in their fields. Give a class {@link Weight} or
 * {@link FixedCount} to mix several user classes.
 */
public abstract class User {

  private final UserRuntime runtime;

  /** Binds the user to the engine's runtime; users are only created by the engine. */
  protected User() {
    this.runtime = UserRuntime.current();
  }

  /** Called once when the user starts, before its first task (log in, set headers). */
  protected void onStart() {}

  /** Called once when the user stops, also when the run stops it. */
  protected void onStop() {}

  /** The wait between two tasks. The default is no wait. */
  protected WaitTime waitTime() {
    return WaitTime.none();
  }

  /**
   * This user class's TLS settings (trusted CAs, {@code insecure}, a client certificate), read once
   * before its HTTP client is made. The default, {@code null}, uses the run's ({@code --insecure},
   * {@code --ca-file}, {@code --cert}); a user class that returns its own replaces them all.
   */
  protected Tls tls() {
    return null;
  }

  /** This user's HTTP client: its own connections and cookies. */
  protected final Http http() {
    return runtime.http();
  }

  /** The run's target base URL ({@code --host}), or an empty string. */
  protected final String host() {
    return runtime.host();
  }

  /** This user's number, from 0, unique within the run. */
  protected final int userIndex() {
    return runtime.index();
  }

  /**
   * This process's shard of a distributed run ({@code --shard I/N}), e.g. to take a slice of test
   * data: {@code shard().first(n)} and {@code shard().part(n)}. {@link Shard#WHOLE} when the run
   * is not distributed.
   */
  protected final Shard shard() {
    return runtime.shard();
  }

  /** A uniformly random integer between {@code min} and {@code max}, inclusive. */
  protected final int random(int min, int max) {
    return java.util.concurrent.ThreadLocalRandom.current().nextInt(min, max + 1);
  }

  /**
   * Times {@code work} and records it as a request of type {@code custom} named {@code name}; an
   * exception fails the result and is rethrown. Use it to load-test a database call or a queue.
   */
  protected final <T> T measure(String name, Callable<T> work) throws Exception {
    return runtime.measure(name, work);
  }

  /** Runs {@code taskSet}'s tasks until it calls {@link TaskSet#interrupt()} or the run stops. */
  protected final void run(TaskSet taskSet) {
    runtime.runTaskSet(taskSet);
  }

  /** Whether the run is stopping this user; long loops inside a task should check it. */
  protected final boolean stopping() {
    return runtime.stopping();
  }

  final UserRuntime runtime() {
    return runtime;
  }
}
