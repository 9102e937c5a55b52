package dev.stampede.engine;

/**
 * What a run waits for once it is prepared (listeners started, test-start hooks run) and before
 * its first user starts: a distributed run's shards wait here for their common start instant.
 */
@FunctionalInterface
public interface StartGate {

  /** No wait: the load starts as soon as the run is prepared. */
  StartGate NONE = () -> {};

  /**
   * Returns when the load may start. May throw to cancel the run before any load was sent: the
   * listeners are then stopped and the exception propagates out of {@link LoadTest#run()}.
   */
  void await();
}
