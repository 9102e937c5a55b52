package dev.stampede;

/**
 * Implemented by a scenario class that wants to react to the run's events; the engine finds it
 * next to the users (in the scenario file or as a nested class) and calls {@link #register} once
 * before the run.
 */
@FunctionalInterface
public interface Hooks {

  /** Attaches handlers to {@code events}. */
  void register(Events events);
}
