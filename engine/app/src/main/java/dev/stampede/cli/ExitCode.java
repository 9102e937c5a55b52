package dev.stampede.cli;

/** The exit codes of every command, as documented in the README. */
public final class ExitCode {

  /** The run passed. */
  public static final int PASSED = 0;
  /** A KPI was missed, a regression was found, or (where asked) requests failed. */
  public static final int FAILED = 1;
  /** Invalid usage or configuration. */
  public static final int USAGE = 2;
  /**
   * The test could not run: target not ready, scenario does not compile, listener cannot start, or
   * (with {@code --fail-on-failures}) no request completed.
   */
  public static final int CANNOT_RUN = 3;
  /**
   * A shard of a distributed run reached its start instant ({@code --start-at}) later than
   * {@code --start-tolerance} allows, and sent no load: a Kubernetes Job's {@code podFailurePolicy}
   * fails the whole Job on this code.
   */
  public static final int LATE_START = 4;
  /**
   * Interrupted (Ctrl-C), after a graceful stop and final flush; or while a shard waited for its
   * {@code --start-at} instant, which it then does not wait for, sending no load.
   */
  public static final int INTERRUPTED = 130;
  /**
   * Terminated (SIGTERM, what Kubernetes and CI runners send), after the same graceful stop as
   * {@link #INTERRUPTED}. The JVM's own code for the signal (128 + 15), kept because that is what a
   * pod's or a job's status expects.
   */
  public static final int TERMINATED = 143;

  private ExitCode() {}
}
