package dev.stampede.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PolledSocket and CarrierLoop against loopback sockets: virtual threads on a loop of their own. */
@Timeout(60)
class PolledSocketTest {

  private ServerSocket server;
  private UserThreads threads;
  private CarrierLoop loop;

  @BeforeEach
  void start() throws IOException {
    Assumptions.assumeTrue(Runtime.version().feature() >= 24, "carrier loops need JDK 24+");
    Assumptions.assumeFalse("jdk".equals(System.getProperty("stampede.scheduler")), "-Dstampede.scheduler=jdk");
    assertThat(UserThreads.available()).as("carrier loops (--add-opens java.base/java.lang)").isTrue();
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads = UserThreads.start(1);
    loop = threads.nextLoop();
  }

  @AfterEach
  void stop() throws IOException {
    if (threads != null) {
      threads.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Runs {@code body} on a virtual thread of the loop and returns what it returned or threw. */
  private <T> T onLoop(ThrowingSupplier<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    UserThreads.unstarted(loop, "user", () -> {
      try {
        result.complete(body.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }).start();
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
    }
  }

  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  private int port() {
    return server.getLocalPort();
  }

  /** Accepts one connection on a platform thread and hands it to {@code handler}. */
  private CompletableFuture<Void> serveOne(SocketHandler handler) {
    return CompletableFuture.runAsync(() -> {
      try (Socket socket = server.accept()) {
        handler.handle(socket);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, runnable -> Thread.ofPlatform().daemon().start(runnable));
  }

  interface SocketHandler {
    void handle(Socket socket) throws IOException;
  }

  @Test
  void aVirtualThreadStartedOnALoopKnowsItsLoopAndSleepsAndWakes() throws Exception {
    CarrierLoop seen = onLoop(() -> {
      Thread.sleep(20); // the stimulus: a sleeping user is woken by the JDK's timer thread through execute()
      return CarrierLoop.current();
    });

    assertThat(seen).isSameAs(loop);
    assertThat(CarrierLoop.current()).isNull();
  }

  @Test
  void manyUsersTakeTurnsOnOneLoopThread() throws Exception {
    int users = 200;
    CountDownLatch done = new CountDownLatch(users);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < users; i++) {
      UserThreads.unstarted(loop, "user-" + i, () -> {
        try {
          for (int k = 0; k < 5; k++) {
            Thread.sleep(1); // the stimulus: users parking and waking in turns on one loop
            Thread.yield();
          }
        } catch (Throwable t) {
          failure.set(t);
        } finally {
          done.countDown();
        }
      }).start();
    }

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).isNull();
  }

  @Test
  void echoesThroughTheLoopAndSeesTheEndOfTheStream() throws Exception {
    CompletableFuture<Void> echo = serveOne(socket -> socket.getInputStream().transferTo(socket.getOutputStream()));

    String answer = onLoop(() -> {
      try (PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000)) {
        socket.out().write("ping".getBytes());
        byte[] buf = new byte[4];
        int n = 0;
        while (n < 4) {
          n += socket.in().read(buf, n, 4 - n);
        }
        socket.out().write("!".getBytes());
        return new String(buf) + (char) socket.in().read();
      }
    });

    assertThat(answer).isEqualTo("ping!");
    echo.get(10, TimeUnit.SECONDS);
  }

  @Test
  void writesMoreThanTheSocketBuffersHoldToASlowReader() throws Exception {
    byte[] payload = new byte[8 << 20];
    new Random(7).nextBytes(payload);
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    serveOne(socket -> {
      try {
        // The stimulus, a slow reader: the writer fills the kernel buffers and has to wait for OP_WRITE.
        Thread.sleep(200);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) {
          digest.update(buf, 0, n);
        }
        received.complete(digest.digest());
      } catch (Exception e) {
        received.completeExceptionally(e);
      }
    });

    onLoop(() -> {
      try (PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000)) {
        socket.out().write(payload, 0, payload.length);
      }
      return null;
    });

    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
  }

  @Test
  void anIdleConnectionClosedByTheServerDoesNotKeepTheLoopBusy() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    serveOne(socket -> {
      OutputStream out = socket.getOutputStream();
      socket.getInputStream().read();
      out.write('x');
      out.flush();
      socket.close(); // the client's socket stays readable (EOF) while nobody reads it
      closed.countDown();
    });
    CompletableFuture<PolledSocket> open = new CompletableFuture<>();
    onLoop(() -> {
      PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000);
      socket.out().write('?');
      assertThat(socket.in().read()).isEqualTo('x');
      open.complete(socket);
      return null;
    });
    assertThat(closed.await(10, TimeUnit.SECONDS)).as("the server closed the connection").isTrue();

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long loopThread = onLoopCarrierId();
    long before = mx.getThreadCpuTime(loopThread);
    // Not a wait for something to happen: the window over which the loop's CPU time is measured.
    Thread.sleep(1_000);
    long spent = mx.getThreadCpuTime(loopThread) - before;

    // A loop spinning on the readable socket would burn (a share of) a core: hundreds of ms.
    assertThat(TimeUnit.NANOSECONDS.toMillis(spent)).isLessThan(100);
    assertThat(onLoop(() -> open.get().in().read())).isEqualTo(-1);
    open.get().close();
  }

  /** Waits until {@code thread} is parked waiting for its socket to become ready (in a read). */
  private static void awaitParkedOnTheSocket(Thread thread) {
    await("the reader parked on its socket").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
        .until(() -> (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
            && Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals(PolledSocket.class.getName()) && frame.getMethodName().equals("await")));
  }

  private long onLoopCarrierId() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(loop.toString()) && t.isAlive())
        .mapToLong(Thread::threadId).max().orElseThrow();
  }

  @Test
  void closingFromAnotherThreadWakesTheReader() throws Exception {
    CountDownLatch accepted = new CountDownLatch(1);
    serveOne(socket -> {
      accepted.countDown();
      socket.getInputStream().read(); // answers nothing
    });
    CompletableFuture<PolledSocket> open = new CompletableFuture<>();
    CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
    Thread reader = UserThreads.unstarted(loop, "reader", () -> {
      try {
        PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000);
        open.complete(socket);
        socket.in().read();
        readFailure.complete(null);
      } catch (Throwable t) {
        readFailure.complete(t);
      }
    });
    reader.start();
    assertThat(accepted.await(10, TimeUnit.SECONDS)).as("the server accepted").isTrue();
    PolledSocket connected = open.get(10, TimeUnit.SECONDS);
    awaitParkedOnTheSocket(reader);

    connected.close();

    assertThat(readFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
  }

  @Test
  void cuttingAWaitingReadShortLeavesTheSocketOpenForTheNextRead() throws Exception {
    CountDownLatch cut = new CountDownLatch(1);
    serveOne(socket -> {
      try {
        if (cut.await(10, TimeUnit.SECONDS)) {
          socket.getOutputStream().write('k');
        }
        socket.getInputStream().read();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CompletableFuture<PolledSocket> open = new CompletableFuture<>();
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Thread reader = UserThreads.unstarted(loop, "reader", () -> {
      try {
        PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000);
        open.complete(socket);
        try {
          outcome.complete("read returned " + socket.in().read());
        } catch (SocketTimeoutException e) {
          cut.countDown();
          outcome.complete("cut short, then read " + (char) socket.in().read());
        }
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    });
    reader.start();
    PolledSocket connected = open.get(10, TimeUnit.SECONDS);
    awaitParkedOnTheSocket(reader);

    connected.cutRead();

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("cut short, then read k");
    connected.close();
  }

  @Test
  void aCutBeforeAReadTakesWhatHasArrivedAndThenGivesUpWithoutWaiting() throws Exception {
    serveOne(socket -> {
      socket.getOutputStream().write("ab".getBytes());
      socket.getInputStream().read();
    });

    String outcome = onLoop(() -> {
      try (PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000)) {
        byte[] two = socket.in().readNBytes(2);
        socket.cutRead();
        try {
          return new String(two) + ", then " + socket.in().read();
        } catch (SocketTimeoutException e) {
          return new String(two) + ", then nothing";
        }
      }
    });

    assertThat(outcome).isEqualTo("ab, then nothing");
  }

  @Test
  void interruptingTheReaderClosesTheSocketAndKeepsTheInterrupt() throws Exception {
    serveOne(socket -> socket.getInputStream().read());
    CompletableFuture<String> outcome = new CompletableFuture<>();
    CountDownLatch reading = new CountDownLatch(1);
    Thread reader = UserThreads.unstarted(loop, "reader", () -> {
      try {
        PolledSocket socket = PolledSocket.connect("127.0.0.1", port(), 5_000);
        reading.countDown();
        try {
          socket.in().read();
          outcome.complete("read returned");
        } catch (SocketException e) {
          outcome.complete(e.getMessage() + ", interrupted=" + Thread.currentThread().isInterrupted());
        }
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    });
    reader.start();
    assertThat(reading.await(10, TimeUnit.SECONDS)).as("connected").isTrue();
    awaitParkedOnTheSocket(reader);

    reader.interrupt();

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("Closed by interrupt, interrupted=true");
  }

  @Test
  void aRefusedConnectionFailsWithConnectException() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }

    assertThatThrownBy(() -> onLoop(() -> PolledSocket.connect("127.0.0.1", closedPort, 5_000)))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void aHostNameIsLookedUpOffTheLoop() throws Exception {
    serveOne(socket -> socket.getOutputStream().write("ok".getBytes()));

    String answer = onLoop(() -> {
      try (PolledSocket socket = PolledSocket.connect("localhost", port(), 5_000)) {
        return new String(socket.in().readAllBytes());
      }
    });

    assertThat(answer).isEqualTo("ok");
  }

  @Test
  void aThreadOffTheLoopCanStillUseTheSocket() throws Exception {
    serveOne(socket -> {
      int b = socket.getInputStream().read();
      try {
        Thread.sleep(100); // the stimulus: a late answer, so the platform thread's read has to wait
      } catch (InterruptedException e) {
        return;
      }
      socket.getOutputStream().write(b + 1);
    });
    PolledSocket socket = onLoop(() -> PolledSocket.connect("127.0.0.1", port(), 5_000));

    try (socket) {
      socket.out().write(41);
      assertThat(socket.in().read()).isEqualTo(42);
      assertThat(socket.in().read()).isEqualTo(-1);
    }
  }

  @Test
  void connectingOffALoopIsRefused() {
    assertThatThrownBy(() -> PolledSocket.connect("127.0.0.1", port(), 1_000))
        .isInstanceOf(IllegalStateException.class);
  }
}
