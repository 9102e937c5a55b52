package dev.stampede.examples.friendservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stampede.examples.friendservice.FriendServiceClient.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness, seeding determinism, the builder and start/stop. */
@Timeout(120)
class FriendServiceLifecycleTest {

  private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  /** Polls /health/ready until it answers 200, at most READY_DEADLINE; returns the last reply. */
  private static Reply pollUntilReady(FriendServiceClient client) {
    AtomicReference<Reply> last = new AtomicReference<>();
    try {
      return await("/health/ready answering 200").atMost(READY_DEADLINE).pollDelay(Duration.ZERO)
          .pollInterval(POLL_INTERVAL).until(() -> {
            last.set(client.get("/health/ready"));
            return last.get();
          }, reply -> reply.status() == 200);
    } catch (ConditionTimeoutException e) {
      return last.get(); // the caller's assertion shows what it answered
    }
  }

  @Test
  void readinessTurnsFrom503To200OnceSeeded() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (FriendService service = FriendService.builder().users(1_500).seedingGate(gate).build().start()) {
      FriendServiceClient client = new FriendServiceClient(service);

      Reply seeding = client.get("/health/ready");
      assertThat(seeding.status()).isEqualTo(503);
      assertThat(seeding.json().get("status").asText()).isEqualTo("seeding");
      assertThat(seeding.json().get("seededUsers").asInt()).isZero();
      assertThat(seeding.json().get("targetUsers").asInt()).isEqualTo(1_500);
      assertThat(client.get("/health/live").status()).as("live while seeding").isEqualTo(200);
      assertThat(service.isReady()).isFalse();

      gate.countDown();
      Reply ready = pollUntilReady(client);

      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().toString()).isEqualTo("{\"status\":\"ready\"}");
      assertThat(service.isReady()).isTrue();
    }
  }

  @Test
  void apiAnswers503UntilSeeded() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (FriendService service = FriendService.builder().users(10).seedingGate(gate).build().start()) {
      FriendServiceClient client = new FriendServiceClient(service);

      Reply create = client.createUser("early", "early@example.com");
      Reply search = client.search("a");
      Reply befriend = client.befriend(1, 2);

      assertThat(create.status()).isEqualTo(503);
      assertThat(create.json().get("error").asText()).isEqualTo("the service is not ready yet: seeded 0 of 10 users");
      assertThat(search.status()).isEqualTo(503);
      assertThat(befriend.status()).isEqualTo(503);

      gate.countDown();
      assertThat(service.awaitReady(READY_DEADLINE)).isTrue();
      assertThat(client.createUser("early", "early@example.com").status()).isEqualTo(201);
    }
  }

  @Test
  void awaitReadyTimesOutWhileSeedingIsHeld() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (FriendService service = FriendService.builder().users(10).seedingGate(gate).build().start()) {
      assertThat(service.awaitReady(Duration.ofMillis(50))).isFalse();
    }
  }

  @Test
  void sameSeedServesSameUsers() throws Exception {
    JsonNode first = firstUsers(7, 1_000);
    JsonNode second = firstUsers(7, 1_000);

    assertThat(first).hasSize(FriendDatabase.SEARCH_LIMIT);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void seedUsersGetIdsInGenerationOrder() throws Exception {
    List<NewUser> generated = UserSeeder.generate(7, 1_000);

    JsonNode served = firstUsers(7, 1_000);

    assertThat(served).hasSize(FriendDatabase.SEARCH_LIMIT);
    for (JsonNode user : served) {
      NewUser expected = generated.get(user.get("id").asInt() - 1);
      assertThat(user.get("username").asText()).isEqualTo(expected.username());
      assertThat(user.get("email").asText()).isEqualTo(expected.email());
    }
  }

  @Test
  void differentSeedServesDifferentUsers() throws Exception {
    assertThat(firstUsers(8, 1_000)).isNotEqualTo(firstUsers(9, 1_000));
  }

  @Test
  void zeroUsersIsReadyAndEmpty() throws Exception {
    try (FriendService service = FriendService.builder().users(0).build().start()) {
      assertThat(service.awaitReady(READY_DEADLINE)).isTrue();
      assertThat(new FriendServiceClient(service).search("").json()).isEmpty();
    }
  }

  /** The first search page (every user matches "") of a freshly seeded service. */
  private static JsonNode firstUsers(long seed, int users) throws IOException, InterruptedException {
    try (FriendService service = FriendService.builder().users(users).seed(seed).build().start()) {
      assertThat(service.awaitReady(READY_DEADLINE)).isTrue();
      return new FriendServiceClient(service).search("").json();
    }
  }

  @Test
  void closeStopsListening() throws Exception {
    FriendService service = FriendService.builder().users(0).build().start();
    int port = service.port();

    service.close();
    service.close();

    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  @Test
  void closeWhileSeedingIsHeldReturns() throws Exception {
    FriendService service = FriendService.builder().users(10).seedingGate(new CountDownLatch(1)).build().start();

    service.close();

    assertThat(service.isReady()).isFalse();
  }

  @Test
  void startTwiceIsMisuse() throws Exception {
    try (FriendService service = FriendService.builder().users(0).build().start()) {
      assertThatThrownBy(service::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the service is started already");
    }
  }

  @Test
  void portBeforeStartIsMisuse() {
    assertThatThrownBy(() -> FriendService.builder().build().port())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the service is not started");
  }

  @Test
  void startOnTakenPortFailsWithAddress() throws Exception {
    try (FriendService first = FriendService.builder().users(0).build().start()) {
      FriendService second = FriendService.builder().users(0).port(first.port()).build();

      assertThatThrownBy(second::start)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("could not listen on 127.0.0.1:" + first.port());
    }
  }

  @Test
  void builderRejectsValuesOutOfRange() {
    assertThatThrownBy(() -> FriendService.builder().port(-1))
        .hasMessage("port must be between 0 and 65535 but was -1");
    assertThatThrownBy(() -> FriendService.builder().port(65_536))
        .hasMessage("port must be between 0 and 65535 but was 65536");
    assertThatThrownBy(() -> FriendService.builder().users(-3))
        .hasMessage("users must be between 0 and 1000000 but was -3");
    assertThatThrownBy(() -> FriendService.builder().maxConnections(0))
        .hasMessage("maxConnections must be between 1 and 64 but was 0");
    assertThatThrownBy(() -> FriendService.builder().host(" "))
        .hasMessage("host must not be blank");
  }
}
