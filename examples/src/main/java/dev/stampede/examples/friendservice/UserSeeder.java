package dev.stampede.examples.friendservice;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates the users the service is seeded with, deterministically: the same seed and count
 * always give the same users in the same order, so two runs of a load test start from the same
 * table. Usernames are {@code adjective_noun_number} ({@code brave_otter_4821}), which gives
 * partial-match searches ({@code otter}, {@code brave}, {@code 48}) realistic hit rates.
 */
final class UserSeeder {

  private static final List<String> ADJECTIVES = List.of(
      "amber", "brave", "calm", "clever", "crimson", "eager", "fancy", "gentle", "golden", "happy",
      "jolly", "kind", "lively", "lucky", "mellow", "nimble", "proud", "quiet", "rapid", "silver",
      "sunny", "swift", "witty", "zesty");

  private static final List<String> NOUNS = List.of(
      "badger", "beaver", "falcon", "ferret", "gecko", "heron", "koala", "lemur", "lynx", "marten",
      "moose", "otter", "panda", "pelican", "puffin", "rabbit", "raven", "salmon", "sparrow", "tiger",
      "turtle", "walrus", "weasel", "wombat");

  private static final List<String> DOMAINS = List.of(
      "example.com", "example.org", "example.net", "mail.example", "test.example");

  /** Numbers appended to usernames are in [0, this). */
  private static final int NUMBER_BOUND = 10_000;

  private UserSeeder() {}

  /**
   * The first {@code count} users for {@code seed}, with distinct usernames. A generated name that
   * is already taken is skipped (the random sequence stays the same, so this is deterministic too).
   *
   * @param seed the {@link Random} seed
   * @param count how many users, >= 0 and at most the number of distinct names (5.76 million)
   */
  static List<NewUser> generate(long seed, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0 but was " + count);
    }
    long distinctNames = (long) ADJECTIVES.size() * NOUNS.size() * NUMBER_BOUND;
    if (count > distinctNames) {
      throw new IllegalArgumentException("count must be <= " + distinctNames + " but was " + count);
    }
    Random random = new Random(seed);
    Set<String> taken = new HashSet<>();
    List<NewUser> users = new ArrayList<>(count);
    while (users.size() < count) {
      String username = pick(random, ADJECTIVES) + "_" + pick(random, NOUNS) + "_" + random.nextInt(NUMBER_BOUND);
      String domain = pick(random, DOMAINS);
      if (taken.add(username)) {
        users.add(new NewUser(username, username.replace('_', '.') + "@" + domain));
      }
    }
    return users;
  }

  private static String pick(Random random, List<String> words) {
    return words.get(random.nextInt(words.size()));
  }
}
