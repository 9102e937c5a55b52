package dev.stampede.examples.friendservice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared frame of every endpoint: exact path and method checks, JSON in and out, and the
 * mapping of failures to statuses (a {@link HttpError} to its status, a database that is busy to
 * 503, anything unexpected to 500 with a generic message). Every response is JSON, errors
 * included: {@code {"error": "..."}}.
 */
abstract class JsonHandler implements HttpHandler {

  /** The largest request body accepted; larger ones get 413. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  static final ObjectMapper MAPPER = JsonMapper.builder()
      // Clients may send more than we read (a field from a newer client version, say).
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // An id of 1.5 is a bad request, not user 1.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .build();

  private static final Logger LOG = LoggerFactory.getLogger(JsonHandler.class);
  private static final WarnThenDebugLogger ERRORS = new WarnThenDebugLogger(JsonHandler.class);

  private final String path;

  /** @param path the only path this handler answers; others under its context get 404 */
  JsonHandler(String path) {
    this.path = path;
  }

  /** Answers one request whose path has been checked; throws {@link HttpError} to refuse it. */
  abstract JsonResponse respond(HttpExchange exchange) throws HttpError, SQLException, IOException;

  @Override
  public final void handle(HttpExchange exchange) {
    try {
      JsonResponse response;
      try {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          throw new HttpError(404, "no such resource: " + exchange.getRequestURI().getPath());
        }
        response = respond(exchange);
      } catch (HttpError e) {
        response = error(e.status(), e.getMessage());
      } catch (SQLTransientException e) {
        response = error(503, "the database is busy, try again");
      } catch (SQLException | RuntimeException e) {
        ERRORS.log("friend service failed on " + exchange.getRequestMethod() + " " + path, e);
        response = error(500, "internal error");
      }
      send(exchange, response);
    } catch (IOException e) {
      LOG.debug("could not answer {} {}: the client went away", exchange.getRequestMethod(), path, e);
    } finally {
      exchange.close();
    }
  }

  static JsonResponse error(int status, String message) {
    return new JsonResponse(status, Map.of("error", message));
  }

  static void send(HttpExchange exchange, JsonResponse response) throws IOException {
    byte[] body = MAPPER.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(response.status(), body.length);
    exchange.getResponseBody().write(body);
  }

  /** Refuses the request with 405 unless its method is {@code method}. */
  static void requireMethod(HttpExchange exchange, String method) throws HttpError {
    if (!exchange.getRequestMethod().equals(method)) {
      exchange.getResponseHeaders().set("Allow", method);
      throw new HttpError(405, "method " + exchange.getRequestMethod() + " is not allowed here, use " + method);
    }
  }

  /**
   * Reads the body as JSON into {@code type}.
   *
   * @throws HttpError 413 for a body over {@value #MAX_BODY_BYTES} bytes, 400 for one that is
   *     empty, not JSON, or not of the expected shape
   */
  static <T> T readBody(HttpExchange exchange, Class<T> type) throws HttpError, IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new HttpError(413, "the request body must be at most " + MAX_BODY_BYTES + " bytes");
    }
    if (body.length == 0) {
      throw new HttpError(400, "a JSON body is required");
    }
    T value;
    try {
      value = MAPPER.readValue(body, type);
    } catch (MismatchedInputException e) {
      throw new HttpError(400, describeMismatch(e));
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
    }
    if (value == null) {
      throw new HttpError(400, "a JSON object is required, not null");
    }
    return value;
  }

  /** Says which field had the wrong type, without Jackson's class names. */
  private static String describeMismatch(MismatchedInputException e) {
    String field = e.getPath().stream()
        .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."));
    if (field.isEmpty()) {
      return "the body must be a JSON object";
    }
    Class<?> type = e.getTargetType();
    String expected = type == null ? "of another type"
        : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "an integer"
        : type == String.class ? "a string"
        : "of another type";
    return "field '" + field + "' must be " + expected;
  }

  /**
   * The first value of query parameter {@code name}, URL-decoded, or empty when absent.
   *
   * @throws HttpError 400 when the query is not validly percent-encoded
   */
  static Optional<String> queryParameter(HttpExchange exchange, String name) throws HttpError {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    try {
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        if (key.equals(name)) {
          return Optional.of(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "the query string is not validly percent-encoded");
    }
    return Optional.empty();
  }
}
