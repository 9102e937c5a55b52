package dev.stampede.examples.friendservice;

/**
 * A request that ends with an error status and a one-line reason, sent as
 * {@code {"error": "..."}}. The message is shown to the client, so it never holds internals.
 */
final class HttpError extends Exception {

  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
