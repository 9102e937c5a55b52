package dev.stampede.bus;

/** What {@link ResultBus#publish} does when a listener's queue is full. */
public enum OverflowPolicy {
  /** Drop the result for that listener and count it; the load never waits (the default). */
  DROP,
  /** Block the publishing user up to the bus's block timeout, then drop and count. */
  BLOCK
}
