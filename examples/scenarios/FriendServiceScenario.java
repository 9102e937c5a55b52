// The friend-service scenario from the write-up this project grew from: two thirds of users search
// for people by a partial username, one third sign a new user up and then send a friend request,
// with think time between the steps. Run it with:
//   ./stampede run --scenario examples/scenarios/FriendServiceScenario.java --host http://127.0.0.1:PORT -u 20 -t 1m

import dev.stampede.SequentialTaskSet;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

public class FriendServiceScenario extends User {

  /** Parts of the seeded usernames, so searches find something. */
  static final List<String> SEARCH_TERMS = List.of("al", "be", "ch", "da", "el", "fo", "gr", "ha", "in", "jo");

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(0.5, 1.5);
  }

  @Task(2)
  void searchUsers() {
    String term = SEARCH_TERMS.get(random(0, SEARCH_TERMS.size() - 1));
    http().get("/friend-service/v1/users?username=" + term, o -> o
        .name("/friend-service/v1/users?username=[term]")
        .expect(r -> r.text().startsWith("["), "search did not return a JSON array"));
  }

  @Task(1)
  void signUpAndBefriend() {
    run(new SignUpThenBefriend());
  }

  /** Create a user, then send a friend request from it, then hand control back. */
  public static class SignUpThenBefriend extends SequentialTaskSet {
    private long newUserId;

    @Override
    protected WaitTime waitTime() {
      return WaitTime.between(0.2, 0.5);
    }

    @Task(order = 1)
    void createUser() {
      String name = "load-" + UUID.randomUUID().toString().substring(0, 12);
      var response = http().post("/friend-service/v1/users", o -> o
          .json(Map.of("username", name, "email", name + "@example.test"))
          .expect(r -> r.status() == 201, "user was not created"));
      if (!response.ok()) {
        interrupt();
      }
      newUserId = ((Number) response.json(Map.class).get("id")).longValue();
    }

    @Task(order = 2)
    void sendFriendRequest() {
      // Ids are assigned in order, so every id below the new user's belongs to an existing user.
      long friend = random(1, (int) Math.max(1, newUserId - 1));
      http().post("/friend-service/v1/friends", o -> o
          .json(Map.of("userId", newUserId, "friendId", friend))
          .expect(r -> r.status() == 201, "friend request was not accepted"));
      interrupt();
    }
  }
}
