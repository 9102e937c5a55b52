package dev.stampede.cli;

/**
 * Ctrl-C or SIGTERM arrived while a shard waited for its {@code --start-at} instant (or for its
 * peers): the wait ends at once, no load is sent, and the command exits with
 * {@link ExitCode#INTERRUPTED}.
 */
final class StartCancelledException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StartCancelledException(String message) {
    super(message);
  }
}
