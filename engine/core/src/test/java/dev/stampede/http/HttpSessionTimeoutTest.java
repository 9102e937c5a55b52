package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connect timeouts, per session and per request. */
@Timeout(30)
class HttpSessionTimeoutTest {

  /** A listening socket that never accepts, with its backlog full: further connects are never answered. */
  private ServerSocket full;
  private final List<Socket> backlog = new ArrayList<>();
  private final RecordingSink sink = new RecordingSink();

  @BeforeEach
  void fillBacklog() throws IOException {
    full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    // Linux queues backlog + 1 connections, then drops SYNs: connect until one is not answered.
    for (int i = 0; i < 16; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
        backlog.add(socket);
      } catch (SocketTimeoutException e) {
        socket.close();
        return;
      }
    }
    throw new IllegalStateException("the backlog never filled; this test needs a TCP stack that drops SYNs when full");
  }

  @AfterEach
  void close() throws IOException {
    for (Socket socket : backlog) {
      socket.close();
    }
    full.close();
  }

  @Test
  void aRequestsConnectTimeoutWinsOverTheSessions() {
    try (HttpSession session = HttpSession.builder().baseUrl(URI.create("http://127.0.0.1:" + full.getLocalPort()))
        .connectTimeout(Duration.ofMinutes(5)).sink(sink).build()) {

      Response response = session.get("/", o -> o.connectTimeout(Duration.ofMillis(300)));

      assertThat(response.failure()).isEqualTo("connect timed out (127.0.0.1:" + full.getLocalPort() + ")");
      assertThat(sink.only().failure()).isEqualTo(response.failure());
    }
  }

  @Test
  void theSessionsConnectTimeoutApplies() {
    try (HttpSession session = HttpSession.builder().baseUrl(URI.create("http://127.0.0.1:" + full.getLocalPort()))
        .connectTimeout(Duration.ofMillis(300)).sink(sink).build()) {

      assertThat(session.get("/").failure()).isEqualTo("connect timed out (127.0.0.1:" + full.getLocalPort() + ")");
    }
  }

  @Test
  void refusesANonPositiveConnectTimeout() {
    try (HttpSession session = HttpSession.builder().sink(sink).build()) {
      assertThatThrownBy(() -> session.get("http://127.0.0.1:1/", o -> o.connectTimeout(Duration.ZERO)))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be > 0 but was PT0S");
    }
  }
}
