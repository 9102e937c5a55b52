package dev.stampede.examples.friendservice;

import com.sun.net.httpserver.HttpExchange;

/** Every path no other handler owns: 404 as JSON (instead of the JDK server's HTML page). */
final class NotFoundHandler extends JsonHandler {

  NotFoundHandler() {
    super("/");
  }

  @Override
  JsonResponse respond(HttpExchange exchange) throws HttpError {
    throw new HttpError(404, "no such resource: " + exchange.getRequestURI().getPath());
  }
}
