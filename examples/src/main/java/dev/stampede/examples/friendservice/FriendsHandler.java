package dev.stampede.examples.friendservice;

import com.sun.net.httpserver.HttpExchange;
import dev.stampede.examples.friendservice.FriendDatabase.AlreadyFriendsException;
import dev.stampede.examples.friendservice.FriendDatabase.UnknownUserException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code POST /friend-service/v1/friends}: records a friend request {@code {"userId", "friendId"}}
 * and answers 201 with it; 400 for a bad body (missing, non-positive or equal ids), 404 when
 * either user does not exist, 409 when the same request was recorded before, 503 until seeding
 * is done.
 */
final class FriendsHandler extends JsonHandler {

  static final String PATH = "/friend-service/v1/friends";

  private final FriendDatabase database;
  private final Readiness readiness;

  FriendsHandler(FriendDatabase database, Readiness readiness) {
    super(PATH);
    this.database = database;
    this.readiness = readiness;
  }

  @Override
  JsonResponse respond(HttpExchange exchange) throws HttpError, SQLException, IOException {
    HealthHandler.requireReady(exchange, readiness);
    requireMethod(exchange, "POST");
    FriendRequest request = readBody(exchange, FriendRequest.class);
    List<String> problems = request.problems();
    if (!problems.isEmpty()) {
      throw new HttpError(400, String.join("; ", problems));
    }
    try {
      database.addFriend(request.userId(), request.friendId());
    } catch (UnknownUserException e) {
      throw new HttpError(404, e.getMessage());
    } catch (AlreadyFriendsException e) {
      throw new HttpError(409, e.getMessage());
    }
    return new JsonResponse(201, request);
  }
}
