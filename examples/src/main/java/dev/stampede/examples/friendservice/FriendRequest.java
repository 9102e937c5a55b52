package dev.stampede.examples.friendservice;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /friend-service/v1/friends}: {@code {"userId": 1, "friendId": 2}}, a
 * request from user {@code userId} to befriend user {@code friendId}. Boxed so that a missing
 * field can be told apart from zero.
 */
record FriendRequest(Long userId, Long friendId) {

  /** Every problem with this request, or an empty list: both ids present, >= 1 and different. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    checkId("userId", userId, problems);
    checkId("friendId", friendId, problems);
    if (problems.isEmpty() && userId.equals(friendId)) {
      problems.add("a user cannot befriend themselves (userId and friendId are both " + userId + ")");
    }
    return problems;
  }

  private static void checkId(String field, Long value, List<String> problems) {
    if (value == null) {
      problems.add(field + " is required");
    } else if (value < 1) {
      problems.add(field + " must be >= 1 but was " + value);
    }
  }
}
