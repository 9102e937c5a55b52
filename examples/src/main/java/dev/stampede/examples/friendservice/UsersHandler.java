package dev.stampede.examples.friendservice;

import com.sun.net.httpserver.HttpExchange;
import dev.stampede.examples.friendservice.FriendDatabase.UsernameTakenException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code /friend-service/v1/users}: {@code POST} creates a user (201 with the user, 400 for a bad
 * body, 409 for a taken username); {@code GET ?username=PART} lists up to
 * {@value FriendDatabase#SEARCH_LIMIT} users whose username contains {@code PART} (200 with a
 * JSON array, 400 without the parameter). Both answer 503 until seeding is done.
 */
final class UsersHandler extends JsonHandler {

  static final String PATH = "/friend-service/v1/users";

  private final FriendDatabase database;
  private final Readiness readiness;

  UsersHandler(FriendDatabase database, Readiness readiness) {
    super(PATH);
    this.database = database;
    this.readiness = readiness;
  }

  @Override
  JsonResponse respond(HttpExchange exchange) throws HttpError, SQLException, IOException {
    HealthHandler.requireReady(exchange, readiness);
    return switch (exchange.getRequestMethod()) {
      case "GET" -> search(exchange);
      case "POST" -> create(exchange);
      default -> {
        exchange.getResponseHeaders().set("Allow", "GET, POST");
        throw new HttpError(405, "method " + exchange.getRequestMethod() + " is not allowed here, use GET or POST");
      }
    };
  }

  private JsonResponse search(HttpExchange exchange) throws HttpError, SQLException {
    String part = queryParameter(exchange, "username")
        .orElseThrow(() -> new HttpError(400, "the query parameter 'username' is required (it may be empty)"));
    if (part.length() > NewUser.MAX_USERNAME_LENGTH) {
      throw new HttpError(400, "username must be at most " + NewUser.MAX_USERNAME_LENGTH + " characters");
    }
    List<User> users = database.searchUsers(part);
    return new JsonResponse(200, users);
  }

  private JsonResponse create(HttpExchange exchange) throws HttpError, SQLException, IOException {
    NewUser user = readBody(exchange, NewUser.class);
    List<String> problems = user.problems();
    if (!problems.isEmpty()) {
      throw new HttpError(400, String.join("; ", problems));
    }
    try {
      return new JsonResponse(201, database.createUser(user));
    } catch (UsernameTakenException e) {
      throw new HttpError(409, e.getMessage());
    }
  }
}
