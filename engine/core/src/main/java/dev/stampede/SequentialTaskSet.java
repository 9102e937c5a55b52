package dev.stampede;

/**
 * A {@link TaskSet} whose tasks run in the order they are declared in the source, one after the
 * other, starting over after the last, until a task calls {@link #interrupt()} or the run stops.
 * Task weights are ignored. Order comes from the compiled class file, which keeps source order.
 */
public abstract class SequentialTaskSet extends TaskSet {

  /** Binds the task set to the user whose thread creates it. */
  protected SequentialTaskSet() {}
}
