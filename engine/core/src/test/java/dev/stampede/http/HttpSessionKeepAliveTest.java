package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stampede.Response;
import dev.stampede.http.FaultyServer.Action;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keep-alive connections that the server closes: never a request sent twice on the client's own
 * (RFC 9112 9.3.1), idempotent requests retried once, closed idle connections replaced before use,
 * and a connection dropped whenever an exchange fails. Each case compares what the server read
 * with what the session recorded.
 */
@Timeout(60)
class HttpSessionKeepAliveTest {

  private final RecordingSink sink = new RecordingSink();
  private FaultyServer server;
  private HttpSession session;

  private void start(FaultyServer.Policy policy) throws IOException {
    server = new FaultyServer(policy);
    session = HttpSession.builder().baseUrl(URI.create(server.url())).sink(sink).build();
  }

  @AfterEach
  void stop() throws IOException {
    if (session != null) {
      session.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void postOnAConnectionClosedAfterReadingItFailsAndIsNeverSentTwice() throws IOException {
    // The server answers the first request of each connection and silently closes on the second.
    start((n, head) -> n == 0 ? Action.ANSWER : Action.CLOSE_SILENTLY);

    for (int i = 0; i < 100; i++) {
      String body = "order-" + i;
      session.post("/orders", o -> o.body(body, "text/plain"));
    }

    List<String> bodies = server.bodies("POST");
    assertThat(new HashSet<>(bodies)).as("no POST body arrived twice").hasSameSizeAs(bodies);
    assertThat(bodies).hasSize(100);
    assertThat(sink.records).hasSize(100);
    List<RecordingSink.Record> failures = sink.records.stream().filter(r -> r.failure() != null).toList();
    assertThat(failures).hasSize(50);
    assertThat(failures.get(0).failure())
        .contains("connection closed before a response")
        .contains("POST is not idempotent, so it was not sent again");
  }

  @Test
  void getOnAConnectionClosedAfterReadingItIsRetriedOnceOnANewConnection() throws IOException {
    start((n, head) -> n == 0 ? Action.ANSWER : Action.CLOSE_SILENTLY);

    for (int i = 0; i < 10; i++) {
      assertThat(session.get("/items/" + i).ok()).isTrue();
    }

    assertThat(sink.records).hasSize(10).allMatch(r -> r.failure() == null);
    // Every request after the first found its connection closed once and was sent again: 1 + 2 * 9.
    assertThat(server.bodies("GET")).hasSize(19);
  }

  @Test
  void anIdempotentRequestIsRetriedOnlyOnce() throws IOException {
    // Only the very first request is answered; every later one is read and dropped.
    start((n, head) -> head.startsWith("GET /first ") ? Action.ANSWER : Action.CLOSE_SILENTLY);

    session.get("/first");
    Response second = session.get("/second");

    assertThat(second.ok()).isFalse();
    assertThat(second.failure()).startsWith("connection closed before a response");
    assertThat(server.received.stream().filter(r -> r.method().equals("GET")).count()).isEqualTo(3);
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsReplacedWithoutAFailure() throws IOException {
    start((n, head) -> Action.ANSWER_THEN_CLOSE);

    assertThat(session.post("/a", o -> o.body("first", "text/plain")).ok()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(session::pooledConnectionClosedByServer);
    Response second = session.post("/b", o -> o.body("second", "text/plain"));

    assertThat(second.failure()).isNull();
    assertThat(server.bodies("POST")).containsExactly("first", "second");
    assertThat(server.connections.get()).isEqualTo(2);
  }

  @Test
  void anErrorDuringAnExchangeClosesTheConnection() throws IOException {
    AtomicBoolean armed = new AtomicBoolean();
    // The session reads its clock to store the cookies of a response, in the middle of the
    // exchange; failing there stands for any Throwable (an OutOfMemoryError, say) thrown while a
    // response is handled.
    Clock failingOnceArmed = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.now();
      }

      @Override
      public long millis() {
        if (armed.get()) {
          throw new OutOfMemoryError("simulated");
        }
        return System.currentTimeMillis();
      }
    };
    try (ScriptedServer scripted = new ScriptedServer()) {
      scripted.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
          .reply("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 2\r\n\r\nok");
      session = HttpSession.builder().baseUrl(URI.create(scripted.url())).sink(sink).clock(failingOnceArmed).build();
      assertThat(session.get("/").ok()).isTrue();
      assertThat(session.openConnections()).isEqualTo(1);

      armed.set(true);
      // The request sets its own Cookie header, so the clock is first read for the response's Set-Cookie.
      assertThatThrownBy(() -> session.get("/", o -> o.header("Cookie", "b=2")))
          .isInstanceOf(OutOfMemoryError.class);

      assertThat(session.openConnections()).isZero();
    }
  }
}
