package dev.stampede.examples.friendservice;

import com.sun.net.httpserver.HttpExchange;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The health probes, answered whatever the seeding state: {@code GET /health/live} is always 200
 * {@code {"status":"live"}}; {@code GET /health/ready} is 200 {@code {"status":"ready"}} once the
 * database is seeded, and before that 503 with {@code {"status":"seeding","seededUsers":n,
 * "targetUsers":m}} (or {@code "failed"} with an {@code "error"} if seeding failed).
 */
final class HealthHandler extends JsonHandler {

  static final String LIVE_PATH = "/health/live";
  static final String READY_PATH = "/health/ready";

  /** Seconds a client is told to wait before retrying while the service is not ready. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final Readiness readiness;

  private HealthHandler(String path, Readiness readiness) {
    super(path);
    this.readiness = readiness;
  }

  static HealthHandler live(Readiness readiness) {
    return new HealthHandler(LIVE_PATH, readiness);
  }

  static HealthHandler ready(Readiness readiness) {
    return new HealthHandler(READY_PATH, readiness);
  }

  @Override
  JsonResponse respond(HttpExchange exchange) throws HttpError {
    requireMethod(exchange, "GET");
    if (exchange.getRequestURI().getPath().equals(LIVE_PATH)) {
      return new JsonResponse(200, Map.of("status", "live"));
    }
    if (readiness.isReady()) {
      return new JsonResponse(200, Map.of("status", "ready"));
    }
    exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    return new JsonResponse(503, notReadyStatus(readiness));
  }

  /** Refuses an API request with 503 (and {@code Retry-After}) until seeding is done. */
  static void requireReady(HttpExchange exchange, Readiness readiness) throws HttpError {
    if (!readiness.isReady()) {
      exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      throw new HttpError(503, readiness.state() == Readiness.State.FAILED
          ? "the service could not seed its database"
          : "the service is not ready yet: seeded " + readiness.seededUsers() + " of " + readiness.targetUsers() + " users");
    }
  }

  private static Map<String, Object> notReadyStatus(Readiness readiness) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("status", readiness.state().name().toLowerCase(Locale.ROOT));
    status.put("seededUsers", readiness.seededUsers());
    status.put("targetUsers", readiness.targetUsers());
    if (readiness.failure() != null) {
      status.put("error", readiness.failure());
    }
    return status;
  }
}
