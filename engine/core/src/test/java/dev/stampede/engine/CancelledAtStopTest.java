package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Requests in flight when a run stops are counted as cancelled at stop, not lost. */
@Timeout(60)
class CancelledAtStopTest {

  /** A target that reads requests and never answers. */
  static final class StallingServer implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger requests = new AtomicInteger();
    final List<Socket> sockets = new CopyOnWriteArrayList<>();

    StallingServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try {
            Socket socket = server.accept();
            sockets.add(socket);
            Thread.ofVirtual().start(() -> read(socket));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private void read(Socket socket) {
      try (InputStream in = socket.getInputStream()) {
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
          matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
              ? matched + 1 : 0;
          if (matched == 4) {
            requests.incrementAndGet();
            matched = 0;
          }
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Three requests in one task: only the one in flight at the cut-off counts as cancelled. */
  public static class ThreeRequestsUser extends User {
    @Override
    protected WaitTime waitTime() {
      return WaitTime.none();
    }

    @Task
    void three() {
      http().get("/one");
      http().get("/two");
      http().get("/three");
    }
  }

  private StallingServer server;

  @BeforeEach
  void start() throws IOException {
    server = new StallingServer();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private static HttpFactory sessions() {
    return (host, sink) -> HttpSession.builder().baseUrl(URI.create(host)).sink(sink).build();
  }

  @Test
  void countsEachUsersRequestInFlightAtStopAsCancelledAndNothingElse() throws InterruptedException {
    LoadTest test = LoadTest.builder().host(server.url()).userClasses(List.of(ThreeRequestsUser.class)).users(3)
        .spawnRate(100).httpFactory(sessions()).build();

    Summary summary = LoadTestTest.runUntil(test, () -> server.requests.get() == 3).summary();

    assertThat(server.requests.get()).isEqualTo(3);
    assertThat(summary.total().count()).isZero();
    assertThat(summary.failures()).isEmpty();
    assertThat(summary.cancelledAtStop()).as("one per user, not the requests after the cut-off").isEqualTo(3);
  }

  @Test
  void countsTheOpenModelsIterationsInFlightAtStop() throws InterruptedException {
    LoadTest test = LoadTest.builder().host(server.url()).url("/stall").arrivalRate(50).users(2)
        .httpFactory(sessions()).build();

    Summary summary = LoadTestTest.runUntil(test, () -> server.requests.get() == 2).summary();

    assertThat(summary.total().count()).isZero();
    assertThat(summary.cancelledAtStop()).isEqualTo(2);
  }

  /** A client whose request ignores interrupts, as a socket operation an interrupt does not reach would. */
  static final class StuckHttp implements dev.stampede.Http {
    private final ResultSink sink;
    static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    StuckHttp(ResultSink sink) {
      this.sink = sink;
    }

    @Override
    public dev.stampede.Response request(String method, String path,
        java.util.function.Consumer<dev.stampede.RequestOptions> options) {
      sink.started(System.nanoTime());
      STARTED.incrementAndGet();
      boolean released = false;
      while (!released) {
        try {
          released = RELEASE.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          // ignored: this request cannot be interrupted
        }
      }
      throw new UserRuntime.UserStopped();
    }
  }

  @Test
  void countsARequestWhoseThreadDoesNotUnwindInTime() throws InterruptedException {
    LoadTest test = LoadTest.builder().host("http://127.0.0.1:1").url("/stuck").users(2).spawnRate(100)
        .httpFactory((host, sink) -> new StuckHttp(sink)).build();
    try {
      Summary summary = LoadTestTest.runUntil(test, () -> StuckHttp.STARTED.get() == 2).summary();

      assertThat(summary.total().count()).isZero();
      assertThat(summary.cancelledAtStop()).isEqualTo(2);
    } finally {
      StuckHttp.RELEASE.countDown();
    }
  }
}
