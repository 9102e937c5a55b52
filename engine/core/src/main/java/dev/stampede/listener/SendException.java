package dev.stampede.listener;

/**
 * A request to a backend that did not succeed, thrown by a {@link PushSender.Transport}. Its message
 * never contains a secret ({@link dev.stampede.config.Secrets}).
 */
public final class SendException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /**
   * @param message what failed, without secrets
   * @param retryable whether the same request may succeed later (backend unreachable, timed out,
   *     HTTP 5xx or 429); {@code false} when the backend refused its content (HTTP 4xx)
   */
  public SendException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether sending the same request again may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
