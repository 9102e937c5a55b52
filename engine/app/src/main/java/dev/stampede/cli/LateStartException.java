package dev.stampede.cli;

/**
 * A shard reached its start instant later than the tolerance allows and did not start; the CLI
 * exits with {@link ExitCode#LATE_START}.
 */
public final class LateStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With the one-line message the CLI prints. */
  public LateStartException(String message) {
    super(message);
  }
}
