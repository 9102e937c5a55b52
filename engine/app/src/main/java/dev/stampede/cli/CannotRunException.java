package dev.stampede.cli;

/** The test could not run (exit code 3): the scenario does not compile, the target is not ready, ... */
public final class CannotRunException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** {@code message} is shown to the user as one line. */
  public CannotRunException(String message) {
    super(message);
  }

  public CannotRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
