package dev.stampede.carrier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * A TCP connection in non-blocking mode whose reads and writes wait by parking the calling virtual
 * thread until its {@link CarrierLoop} sees the socket ready; {@link #in()} and {@link #out()} look
 * like a blocking {@link java.net.Socket}'s streams.
 *
 * <p>The read interest stays registered between responses (level-triggered, so nothing is missed),
 * which keeps {@code epoll_ctl} out of the request loop; a socket that turns ready while nobody
 * waits (the server closed an idle keep-alive connection) has its interest dropped until the next
 * wait. A thread that is not on this socket's loop (a hook on the main thread, say) still works:
 * it waits on a selector of its own, which is slower but correct.
 *
 * <p>Closing from another thread (the response-timeout watchdog) wakes a waiting reader, which then
 * fails with an {@link AsynchronousCloseException}; interrupting the reader closes the socket and
 * fails with a {@link SocketException}, as a {@code java.net.Socket} on a virtual thread does.
 */
public final class PolledSocket implements AutoCloseable {

  /** How long a thread that is not on the loop waits at a time before it looks at the socket again. */
  private static final long FOREIGN_WAIT_MILLIS = 20;

  /** An IPv4 address, or anything with a colon (an IPv6 address: no host name has one). */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  private static final ExecutorService LOOKUPS =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("stampede-dns-", 0).factory());

  private final SocketChannel channel;
  private final CarrierLoop loop;
  private final InputStream in = new In();
  private final OutputStream out = new Out();
  private SelectionKey key;
  /** The thread parked until this socket is ready, or {@code null}; read by the closing thread. */
  private volatile Thread waiter;
  private int waitingFor;
  /** Set after a request was written: the answer cannot be there yet, so wait before reading. */
  private boolean answerPending;
  /**
   * Set by the loop when the socket turned readable while nobody waited on it: between two
   * exchanges that means the server closed the connection (or sent something unasked), which
   * {@link #readIfReady} then confirms without a system call on every reuse.
   */
  private volatile boolean readableWhileIdle;
  /** Set by {@link #cutRead}: the read that waits now, or the next one that would wait, gives up. */
  private volatile boolean readCut;

  private PolledSocket(SocketChannel channel, CarrierLoop loop) {
    this.channel = channel;
    this.loop = loop;
  }

  /**
   * Connects to {@code host:port} with {@code TCP_NODELAY}, waiting at most {@code timeoutMillis}
   * (0: no limit) on the current thread's loop.
   *
   * @throws java.net.UnknownHostException when {@code host} does not resolve
   * @throws IllegalStateException when the current thread runs on no {@link CarrierLoop}
   */
  public static PolledSocket connect(String host, int port, int timeoutMillis) throws IOException {
    CarrierLoop loop = CarrierLoop.current();
    if (loop == null) {
      throw new IllegalStateException("the current thread runs on no carrier loop");
    }
    InetSocketAddress address = resolve(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException(host);
    }
    SocketChannel channel = SocketChannel.open();
    PolledSocket socket = new PolledSocket(channel, loop);
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.configureBlocking(false);
      long deadline = timeoutMillis == 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      if (!channel.connect(address)) {
        while (!channel.finishConnect()) {
          if (deadline != 0 && System.nanoTime() - deadline >= 0) {
            throw new SocketTimeoutException("Connect timed out");
          }
          socket.await(SelectionKey.OP_CONNECT, deadline);
        }
        socket.dropInterest(SelectionKey.OP_CONNECT);
      }
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * A name lookup blocks its thread in native code, which on a loop would stall every user of the
   * loop; it runs on a lookup thread while this virtual thread parks. IP literals need no lookup.
   */
  private static InetSocketAddress resolve(String host, int port) throws IOException {
    if (IP_LITERAL.matcher(host).matches()) {
      return new InetSocketAddress(host, port);
    }
    try {
      return CompletableFuture.supplyAsync(() -> new InetSocketAddress(host, port), LOOKUPS).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketException("Closed by interrupt");
    } catch (ExecutionException e) {
      throw new UnknownHostException(host + ": " + e.getCause());
    }
  }

  /** The socket's input: {@code read} blocks (parks) until at least one byte or the end of the stream. */
  public InputStream in() {
    return in;
  }

  /** The socket's output: {@code write} returns once every byte is handed to the kernel. */
  public OutputStream out() {
    return out;
  }

  /** Closes the socket; a thread waiting on it wakes up and fails. Callable from any thread. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
  }

  /**
   * Makes the read that waits on this socket now, or else the next read that would have to wait,
   * throw a {@link SocketTimeoutException} instead; the socket stays open, and what has not arrived
   * yet is left for a later read. Callable from any thread: the response-timeout watchdog gives up
   * one HTTP/2 stream this way without closing the connection its other streams share, and the
   * owner calls it before reading only what has already arrived (an idle connection's check).
   */
  public void cutRead() {
    readCut = true;
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
  }

  /** Called by the loop, on its thread, when the socket is ready for some of its interest set. */
  void ready(SelectionKey readyKey) {
    Thread parked = waiter;
    if (parked != null && (readyKey.readyOps() & waitingFor) != 0) {
      LockSupport.unpark(parked);
      return;
    }
    if (parked == null) {
      readableWhileIdle = true;
    }
    try {
      // Nobody waits for what is ready (e.g. the server closed an idle connection): stop polling it.
      readyKey.interestOps(parked == null ? 0 : waitingFor);
    } catch (CancelledKeyException e) {
      // closed meanwhile by another thread: nothing to poll any more
    }
  }

  /**
   * Whether the loop saw this socket turn readable while no exchange was waiting on it (the server
   * closed an idle connection, most often). Cheap: no system call.
   */
  public boolean readableWhileIdle() {
    return readableWhileIdle;
  }

  /**
   * Reads what has already arrived without waiting: the number of bytes read, 0 when nothing is
   * there, -1 at the end of the stream. Clears {@link #readableWhileIdle} when nothing was there.
   */
  public int readIfReady(byte[] b, int off, int len) throws IOException {
    int n = channel.read(ByteBuffer.wrap(b, off, len));
    if (n == 0) {
      readableWhileIdle = false;
    }
    return n;
  }

  /**
   * Reads into {@code target} (its remaining space), parking until at least one byte arrived:
   * the number of bytes read, or -1 at the end of the stream. A direct buffer is read into without
   * the copy a byte array costs (TLS records for BoringSSL's engine).
   */
  public int read(ByteBuffer target) throws IOException {
    if (answerPending) {
      answerPending = false;
      if (CarrierLoop.current() == loop) {
        await(SelectionKey.OP_READ, 0);
      }
    }
    while (true) {
      int n = channel.read(target);
      if (n != 0) {
        return n;
      }
      if (readCut) {
        readCut = false;
        readableWhileIdle = false; // nothing is there
        throw new SocketTimeoutException("read cut short");
      }
      await(SelectionKey.OP_READ, 0);
    }
  }

  /** Writes all of {@code source}, parking while the socket's send buffer is full. */
  public void write(ByteBuffer source) throws IOException {
    boolean waited = false;
    while (source.hasRemaining()) {
      if (channel.write(source) == 0) {
        await(SelectionKey.OP_WRITE, 0);
        waited = true;
      }
    }
    if (waited) {
      // A writable socket is ready nearly always: polling for it would wake the reader for nothing.
      dropInterest(SelectionKey.OP_WRITE);
    }
    answerPending = true;
  }

  /** Parks until the socket is ready for {@code op}, it is closed, or {@code deadline} (0: none) passes. */
  private void await(int op, long deadline) throws IOException {
    if (!channel.isOpen()) {
      throw new AsynchronousCloseException();
    }
    if (CarrierLoop.current() == loop) {
      try {
        if (key == null) {
          key = channel.register(loop.selector(), op, this);
        } else if ((key.interestOps() & op) != op) {
          key.interestOps(key.interestOps() | op);
        }
      } catch (CancelledKeyException e) {
        throw new AsynchronousCloseException(); // closed by another thread since the check above
      }
      waitingFor = op;
      waiter = Thread.currentThread();
      try {
        // The flag is read after the waiter is published, so a cutRead either sees the waiter or is seen here.
        if (channel.isOpen() && !(op == SelectionKey.OP_READ && readCut)) {
          if (deadline == 0) {
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
          }
        }
      } finally {
        waiter = null;
      }
    } else {
      awaitOnOwnSelector(op, deadline);
    }
    if (Thread.currentThread().isInterrupted()) {
      close();
      throw new SocketException("Closed by interrupt");
    }
    if (!channel.isOpen()) {
      throw new AsynchronousCloseException();
    }
  }

  private void awaitOnOwnSelector(int op, long deadline) throws IOException {
    try (Selector own = Selector.open()) {
      channel.register(own, op);
      long millis = FOREIGN_WAIT_MILLIS;
      if (deadline != 0) {
        millis = Math.max(1, Math.min(millis, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      own.select(millis);
    }
  }

  private void dropInterest(int op) {
    if (key != null && CarrierLoop.current() == loop) {
      try {
        key.interestOps(key.interestOps() & ~op);
      } catch (CancelledKeyException e) {
        // closed by another thread: the next read or write says so
      }
    }
  }

  private final class In extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return PolledSocket.this.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() {
      PolledSocket.this.close();
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      PolledSocket.this.write(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() {
      PolledSocket.this.close();
    }
  }
}
