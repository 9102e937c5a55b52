package dev.stampede.examples.friendservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stampede.examples.friendservice.FriendServiceClient.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API of one seeded service on loopback, exercised over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class FriendServiceTest {

  private static final int SEED_USERS = 2_000;
  private static final long SEED = 42;
  private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

  private final AtomicInteger uniqueNames = new AtomicInteger();
  private FriendService service;
  private FriendServiceClient client;

  @BeforeAll
  void startSeededService() throws IOException, InterruptedException {
    service = FriendService.builder().users(SEED_USERS).seed(SEED).build().start();
    assertThat(service.awaitReady(READY_DEADLINE)).as("seeded within %s", READY_DEADLINE).isTrue();
    client = new FriendServiceClient(service);
  }

  @AfterAll
  void stopService() {
    service.close();
  }

  /**
   * A username no other test uses and no seed user has: seed names are {@code word_word_number},
   * these contain dashes and no {@code "_1"}.
   */
  private String uniqueUsername(String hint) {
    return "t-" + hint + "-" + uniqueNames.incrementAndGet();
  }

  private long createdUserId(String hint) {
    Reply created = client.createUser(uniqueUsername(hint), hint + "@example.com");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private static List<String> usernames(JsonNode array) {
    assertThat(array.isArray()).as("a JSON array: %s", array).isTrue();
    return StreamSupport.stream(array.spliterator(), false).map(user -> user.get("username").asText()).toList();
  }

  @Test
  void bindsLoopbackOnFreePortByDefault() {
    assertThat(service.port()).isPositive();
    assertThat(service.baseUri()).hasToString("http://127.0.0.1:" + service.port());
  }

  @Test
  void readyAndLiveAnswer200WithStatus() {
    Reply ready = client.get("/health/ready");
    Reply live = client.get("/health/live");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().toString()).isEqualTo("{\"status\":\"ready\"}");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().get("status").asText()).isEqualTo("live");
  }

  @Test
  void createsUserAndReturnsItWithId() {
    String username = uniqueUsername("create");

    Reply created = client.createUser(username, "create@example.com");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    assertThat(created.json().get("id").asLong()).isGreaterThan(SEED_USERS);
    assertThat(created.json().get("username").asText()).isEqualTo(username);
    assertThat(created.json().get("email").asText()).isEqualTo("create@example.com");
  }

  @Test
  void createdUserIsFoundByPartOfItsUsername() {
    String username = uniqueUsername("roundtrip");
    long id = client.createUser(username, "roundtrip@example.com").json().get("id").asLong();

    Reply found = client.search(username.substring(2, username.length() - 1));

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json()).hasSize(1);
    assertThat(found.json().get(0).get("id").asLong()).isEqualTo(id);
    assertThat(found.json().get(0).get("email").asText()).isEqualTo("roundtrip@example.com");
  }

  @Test
  void rejectsTakenUsernameWith409() {
    String username = uniqueUsername("dup");
    assertThat(client.createUser(username, "first@example.com").status()).isEqualTo(201);

    Reply second = client.createUser(username, "second@example.com");

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().get("error").asText()).isEqualTo("username '" + username + "' is already taken");
  }

  @Test
  void rejectsSeededUsernameWith409() {
    String seeded = UserSeeder.generate(SEED, 1).get(0).username();

    assertThat(client.createUser(seeded, "again@example.com").status()).isEqualTo(409);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "   ",
      "{",
      "not json",
      "null",
      "[]",
      "{}",
      "{\"username\":\"only-name\"}",
      "{\"email\":\"only@example.com\"}",
      "{\"username\":\"\",\"email\":\"a@example.com\"}",
      "{\"username\":\" padded\",\"email\":\"a@example.com\"}",
      "{\"username\":{\"nested\":1},\"email\":\"a@example.com\"}",
      "{\"username\":\"no-at\",\"email\":\"example.com\"}",
      "{\"username\":\"two-at\",\"email\":\"a@b@example.com\"}",
      "{\"username\":\"x12345678901234567890123456789012345678901234567890123456789012345\",\"email\":\"a@example.com\"}"
  })
  void rejectsBadUserBodiesWith400(String body) {
    Reply reply = client.post(UsersHandler.PATH, body);

    assertThat(reply.status()).as(body).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).as(body).isNotBlank().doesNotContain("dev.stampede");
  }

  @Test
  void namesEveryProblemOfBadUserBody() {
    Reply reply = client.post(UsersHandler.PATH, "{}");

    assertThat(reply.json().get("error").asText()).isEqualTo("username is required; email is required");
  }

  @Test
  void rejectsOversizedBodyWith413() {
    String body = "{\"username\":\"big\",\"email\":\"a@example.com\",\"padding\":\""
        + "x".repeat(JsonHandler.MAX_BODY_BYTES) + "\"}";

    assertThat(client.post(UsersHandler.PATH, body).status()).isEqualTo(413);
  }

  @Test
  void ignoresUnknownFieldsInUserBody() {
    String body = "{\"username\":\"" + uniqueUsername("extra") + "\",\"email\":\"e@example.com\",\"age\":3}";

    assertThat(client.post(UsersHandler.PATH, body).status()).isEqualTo(201);
  }

  @Test
  void searchMatchesPartAnywhereInUsername() {
    List<String> seededWithOtter = UserSeeder.generate(SEED, SEED_USERS).stream()
        .map(NewUser::username).filter(name -> name.contains("tter_1")).toList();

    Reply found = client.search("tter_1");

    assertThat(found.status()).isEqualTo(200);
    assertThat(usernames(found.json()))
        .hasSize(Math.min(FriendDatabase.SEARCH_LIMIT, seededWithOtter.size()))
        .allMatch(name -> name.contains("tter_1"));
  }

  @Test
  void searchReturnsAtMostFiftyShortestFirst() {
    // "_1" matches over 200 seed users and none that the tests create (see uniqueUsername).
    List<String> expected = UserSeeder.generate(SEED, SEED_USERS).stream()
        .map(NewUser::username)
        .filter(name -> name.contains("_1"))
        .sorted(Comparator.comparingInt(String::length))  // stable: ties keep insertion (id) order
        .limit(FriendDatabase.SEARCH_LIMIT)
        .toList();

    assertThat(expected).hasSize(FriendDatabase.SEARCH_LIMIT);
    assertThat(usernames(client.search("_1").json())).containsExactlyElementsOf(expected);
  }

  @Test
  void searchWithoutMatchesReturnsEmptyArray() {
    Reply found = client.search("no-such-user-anywhere");

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().isArray()).isTrue();
    assertThat(found.json()).isEmpty();
  }

  @Test
  void searchTreatsLikeWildcardsAsPlainCharacters() {
    String suffix = "-" + uniqueNames.incrementAndGet();
    assertThat(client.createUser("wild_card" + suffix, "w1@example.com").status()).isEqualTo(201);
    assertThat(client.createUser("wildXcard" + suffix, "w2@example.com").status()).isEqualTo(201);
    assertThat(client.createUser("wild%card" + suffix, "w3@example.com").status()).isEqualTo(201);

    assertThat(usernames(client.search("wild_card" + suffix).json())).containsExactly("wild_card" + suffix);
    assertThat(usernames(client.search("wild%card" + suffix).json())).containsExactly("wild%card" + suffix);
  }

  @Test
  void searchRequiresUsernameParameter() {
    Reply reply = client.get(UsersHandler.PATH);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).contains("'username' is required");
  }

  @Test
  void recordsFriendRequestWith201() {
    long alice = createdUserId("alice");
    long bob = createdUserId("bob");

    Reply reply = client.befriend(alice, bob);

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().get("userId").asLong()).isEqualTo(alice);
    assertThat(reply.json().get("friendId").asLong()).isEqualTo(bob);
  }

  @Test
  void acceptsFriendRequestBetweenSeededUsers() {
    assertThat(client.befriend(SEED_USERS, SEED_USERS - 1).status()).isEqualTo(201);
  }

  @Test
  void answers404WhenFriendDoesNotExist() {
    long alice = createdUserId("lonely");

    Reply reply = client.befriend(alice, 999_999);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("user 999999 does not exist");
  }

  @Test
  void answers404WhenRequesterDoesNotExist() {
    Reply reply = client.befriend(999_998, 1);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("user 999998 does not exist");
  }

  @Test
  void answers409ForRepeatedFriendRequest() {
    long carol = createdUserId("carol");
    long dave = createdUserId("dave");
    assertThat(client.befriend(carol, dave).status()).isEqualTo(201);

    assertThat(client.befriend(carol, dave).status()).isEqualTo(409);
    assertThat(client.befriend(dave, carol).status()).as("the other direction is a new request").isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "{",
      "[1,2]",
      "{}",
      "{\"userId\":1}",
      "{\"friendId\":2}",
      "{\"userId\":0,\"friendId\":2}",
      "{\"userId\":-1,\"friendId\":2}",
      "{\"userId\":1.5,\"friendId\":2}",
      "{\"userId\":\"one\",\"friendId\":2}",
      "{\"userId\":3,\"friendId\":3}"
  })
  void rejectsBadFriendRequestsWith400(String body) {
    Reply reply = client.post(FriendsHandler.PATH, body);

    assertThat(reply.status()).as(body).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).as(body).isNotBlank().doesNotContain("dev.stampede");
  }

  @Test
  void saysWhichFieldHasWrongType() {
    Reply reply = client.post(FriendsHandler.PATH, "{\"userId\":\"one\",\"friendId\":2}");

    assertThat(reply.json().get("error").asText()).isEqualTo("field 'userId' must be an integer");
  }

  @Test
  void answers405WithAllowForWrongMethod() {
    assertThat(client.get(FriendsHandler.PATH).status()).isEqualTo(405);
    assertThat(client.send("DELETE", UsersHandler.PATH).status()).isEqualTo(405);
    assertThat(client.post("/health/ready", "{}").status()).isEqualTo(405);
  }

  @Test
  void answers404AsJsonForUnknownPaths() {
    for (String path : List.of("/", "/nope", "/friend-service/v1/users/1", "/friend-service/v1/usersX")) {
      Reply reply = client.get(path);
      assertThat(reply.status()).as(path).isEqualTo(404);
      assertThat(reply.json().get("error").asText()).as(path).isEqualTo("no such resource: " + path);
    }
  }

  @Test
  void concurrentCreatesOfOneUsernameKeepExactlyOne() throws Exception {
    String username = uniqueUsername("race");
    List<Future<Integer>> statuses = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 32; i++) {
        statuses.add(threads.submit(() -> client.createUser(username, "race@example.com").status()));
      }
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> status : statuses) {
      codes.add(status.get());
    }

    assertThat(codes).containsOnly(201, 409).filteredOn(code -> code == 201).hasSize(1);
    assertThat(usernames(client.search(username).json())).containsExactly(username);
  }

  @Test
  void concurrentCreatesAllSucceedWithDistinctIds() throws Exception {
    String prefix = uniqueUsername("many");
    List<Future<Reply>> replies = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      IntStream.range(0, 40).forEach(i ->
          replies.add(threads.submit(() -> client.createUser(prefix + "-" + i, "many@example.com"))));
    }
    List<Long> ids = new ArrayList<>();
    for (Future<Reply> reply : replies) {
      assertThat(reply.get().status()).isEqualTo(201);
      ids.add(reply.get().json().get("id").asLong());
    }

    assertThat(ids).doesNotHaveDuplicates();
    assertThat(client.search(prefix).json()).hasSize(40);
  }
}
