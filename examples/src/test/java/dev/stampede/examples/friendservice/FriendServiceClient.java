package dev.stampede.examples.friendservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON client for tests, talking to one service on loopback. */
final class FriendServiceClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  FriendServiceClient(FriendService service) {
    this.base = service.baseUri();
  }

  /** A response with its body parsed as JSON. */
  record Reply(int status, JsonNode json, String contentType) {}

  Reply get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply send(String method, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  Reply search(String part) {
    return get(UsersHandler.PATH + "?username=" + URLEncoder.encode(part, StandardCharsets.UTF_8));
  }

  Reply createUser(String username, String email) {
    return post(UsersHandler.PATH, json(new NewUser(username, email)));
  }

  Reply befriend(long userId, long friendId) {
    return post(FriendsHandler.PATH, "{\"userId\":" + userId + ",\"friendId\":" + friendId + "}");
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isEmpty() ? null : MAPPER.readTree(response.body());
      return new Reply(response.statusCode(), json, response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
