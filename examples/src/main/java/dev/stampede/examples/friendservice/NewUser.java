package dev.stampede.examples.friendservice;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /friend-service/v1/users}: {@code {"username": "...", "email": "..."}}.
 * Also what the seeder generates.
 */
record NewUser(String username, String email) {

  /** The width of the {@code users.username} column. */
  static final int MAX_USERNAME_LENGTH = 64;

  /** The width of the {@code users.email} column (the longest address RFC 5321 allows). */
  static final int MAX_EMAIL_LENGTH = 254;

  /**
   * Every problem with this request, or an empty list when it is valid: both fields present,
   * within the column widths, without surrounding whitespace, and the email has the shape
   * {@code local@domain}.
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    checkText("username", username, MAX_USERNAME_LENGTH, problems);
    checkText("email", email, MAX_EMAIL_LENGTH, problems);
    if (email != null && !email.isBlank()) {
      int at = email.indexOf('@');
      if (at <= 0 || at == email.length() - 1 || email.indexOf('@', at + 1) >= 0) {
        problems.add("email must look like name@domain but was '" + email + "'");
      }
    }
    return problems;
  }

  private static void checkText(String field, String value, int maxLength, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(field + " is required");
    } else if (value.length() > maxLength) {
      problems.add(field + " must be at most " + maxLength + " characters but was " + value.length());
    } else if (!value.strip().equals(value)) {
      problems.add(field + " must not start or end with whitespace");
    }
  }
}
