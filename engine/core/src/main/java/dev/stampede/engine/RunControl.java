package dev.stampede.engine;

/** The run-wide stop signal every user watches. */
final class RunControl {

  private volatile boolean stopping;
  private volatile boolean accepting = true;
  private volatile boolean warmingUp;

  /** Whether users must stop after their current task. */
  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  /** Whether results are still recorded; false once the stop timeout has cut users off. */
  boolean accepting() {
    return accepting;
  }

  void stopAccepting() {
    accepting = false;
  }

  /** Whether the run is in its warm-up, whose results are not counted anywhere. */
  boolean warmingUp() {
    return warmingUp;
  }

  void warmingUp(boolean value) {
    warmingUp = value;
  }
}
