package dev.stampede;

/**
 * A {@link TaskSet} whose tasks run in a fixed order, one after the other, starting over after the
 * last, until a task calls {@link #interrupt()} or the run stops. Task weights are ignored.
 *
 * <p>State the order with {@link Task#order()} on every task:
 *
 * <pre>{@code
 * class SignUpThenBefriend extends SequentialTaskSet {
 *   @Task(order = 1) void createUser() { ... }
 *   @Task(order = 2) void sendFriendRequest() { ... }
 * }
 * }</pre>
 *
 * <p>Without it, tasks run in the order their methods appear in the compiled class file, which is
 * source order with javac but is not promised by the language; a set that mixes ordered and
 * unordered tasks, or gives two tasks the same order, is rejected when it first runs.
 */
public abstract class SequentialTaskSet extends TaskSet {

  /** Binds the task set to the user whose thread creates it. */
  protected SequentialTaskSet() {}
}
