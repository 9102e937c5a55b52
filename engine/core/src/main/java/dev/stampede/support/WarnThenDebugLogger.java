package dev.stampede.support;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a recurring problem once at warn and every later time at debug, so a backend that stays
 * down does not flood the console of a load test. Thread-safe.
 */
public final class WarnThenDebugLogger {

  private final Logger logger;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** A logger named after {@code owner}. */
  public WarnThenDebugLogger(Class<?> owner) {
    this.logger = LoggerFactory.getLogger(owner);
  }

  /**
   * Logs {@code message} (which must not contain secrets) with the cause's own message appended;
   * the stack trace only at debug.
   */
  public void log(String message, Throwable cause) {
    String line = cause == null ? message : message + ": " + describe(cause);
    if (warned.compareAndSet(false, true)) {
      logger.warn("{} (further occurrences are logged at debug)", line);
      if (cause != null) {
        logger.debug("stack trace", cause);
      }
    } else if (logger.isDebugEnabled()) {
      logger.debug(line, cause);
    }
  }

  /** Logs {@code message} without a cause. */
  public void log(String message) {
    log(message, null);
  }

  /** The exception's class and message, or its cause's when the message is empty. */
  public static String describe(Throwable t) {
    Throwable shown = t;
    while (shown.getMessage() == null && shown.getCause() != null) {
      shown = shown.getCause();
    }
    String message = shown.getMessage();
    return message == null ? shown.getClass().getSimpleName() : shown.getClass().getSimpleName() + ": " + message;
  }
}
