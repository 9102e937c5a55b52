package dev.stampede.http;

import dev.stampede.carrier.PolledSocket;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.jctools.queues.MpmcArrayQueue;

/**
 * TLS over an already connected transport: an {@link SSLEngine} that encrypts into and decrypts
 * from the transport's blocking streams. Any transport works: a {@link dev.stampede.carrier.PolledSocket}
 * on a carrier loop (its streams park the user until the loop's selector sees the socket ready, so
 * TLS costs no thread hand-over and stays on the user's own loop), a {@link java.net.Socket} on the
 * JDK's scheduler, or a tunnel through a proxy once its {@code CONNECT} succeeded.
 *
 * <p>Why an engine and not {@link javax.net.ssl.SSLSocket}: the JDK's socket blocks in its own
 * socket implementation, so a user of a carrier loop would wait on the JDK's poller thread instead
 * of its loop (BENCHMARKS.md, "HTTPS"). Handshake work the engine delegates (certificate checks,
 * key agreement) runs on the calling virtual thread: it is CPU work either way.
 *
 * <p>Buffers: the engine needs records of up to ~16.7 KB in and out. Idle keep-alive connections
 * hold none: a buffer is lent while bytes are in it and given back when it drains, as
 * {@link LentBuffers} does for plain HTTP. No {@code close_notify} is sent on close (the transport is
 * simply closed, as a browser that drops a connection does); this keeps close callable from the
 * response-timeout watchdog's thread.
 *
 * <p>Not thread-safe, except {@link #close}.
 */
final class TlsSocket implements AutoCloseable {

  private static final ScheduledExecutorService HANDSHAKE_TIMER = timer();
  private static final int POOLED = 17 * 1024;
  private static final MpmcArrayQueue<byte[]> IDLE = new MpmcArrayQueue<>(1024);
  private static final MpmcArrayQueue<ByteBuffer> IDLE_DIRECT = new MpmcArrayQueue<>(1024);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final AutoCloseable transport;
  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final SSLEngine engine;
  /**
   * The transport when records go to and from the socket in direct buffers: BoringSSL's engine on a
   * carrier loop's socket. Its engine would otherwise copy each heap buffer into a direct one it
   * allocates (a JFR profile showed the allocator's locks at 15% of a run), and the socket each heap
   * buffer into one of its own. {@code null}: heap buffers, the JDK's engine's own kind.
   */
  private final PolledSocket direct;
  private final int packetSize;
  private final int applicationSize;
  private final InputStream in = new In();
  private final OutputStream out = new Out();
  /** Received, not yet decrypted bytes, in read mode; {@code null} while there are none. */
  private ByteBuffer netIn;
  /** Decrypted, not yet consumed bytes, in read mode; {@code null} while there are none. */
  private ByteBuffer appIn;
  private boolean inboundDone;
  private final AtomicBoolean released = new AtomicBoolean();

  private TlsSocket(AutoCloseable transport, InputStream rawIn, OutputStream rawOut, SSLEngine engine,
      boolean directBuffers) {
    this.transport = transport;
    this.rawIn = rawIn;
    this.rawOut = rawOut;
    this.engine = engine;
    this.direct = directBuffers && transport instanceof PolledSocket polled ? polled : null;
    SSLSession session = engine.getSession();
    this.packetSize = session.getPacketBufferSize();
    this.applicationSize = session.getApplicationBufferSize();
  }

  /**
   * Runs a client handshake over {@code transport}'s streams, after {@code before} (if not
   * {@code null}: a proxy's {@code CONNECT}, which must complete within the same timeout).
   *
   * @param host the server's name, sent as SNI and checked against its certificate (unless insecure)
   * @param protocols the ALPN protocols to offer, most preferred first
   * @param timeoutMillis how long the handshake may take (0: no limit); the transport is closed then
   * @throws SSLException when the handshake fails (untrusted certificate, wrong host, no common cipher)
   * @throws SocketTimeoutException when it takes longer than {@code timeoutMillis}
   */
  static TlsSocket handshake(AutoCloseable transport, InputStream in, OutputStream out, Step before,
      TlsClient client, String host, int port, String[] protocols, int timeoutMillis) throws IOException {
    TlsSocket socket = new TlsSocket(transport, in, out, client.engine(host, port, protocols), client.openSsl());
    ScheduledFuture<?> timeout = timeoutMillis == 0 ? null
        : HANDSHAKE_TIMER.schedule(socket::closeTransport, timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      if (before != null) {
        before.run();
      }
      socket.engine.beginHandshake();
      socket.completeHandshake();
      if (socket.appIn != null && !socket.appIn.hasRemaining()) {
        socket.giveBack(socket.appIn);
        socket.appIn = null;
      }
      return socket;
    } catch (IOException | RuntimeException e) {
      boolean late = timeout != null && timeout.isDone();
      socket.close();
      if (late && !(e instanceof SSLException)) {
        throw new SocketTimeoutException("TLS handshake did not complete within the connect timeout ("
            + timeoutMillis + " ms)");
      }
      throw e;
    } finally {
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
  }

  /** Work on the transport before the handshake, e.g. opening a tunnel through a proxy. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  /** The protocol ALPN selected ({@code h2}, {@code http/1.1}), or an empty string when the server chose none. */
  String applicationProtocol() {
    String protocol = engine.getApplicationProtocol();
    return protocol == null ? "" : protocol;
  }

  /** The negotiated session, e.g. for its protocol version and cipher suite. */
  SSLSession session() {
    return engine.getSession();
  }

  /** The transport TLS runs over, e.g. to check an idle connection for the server's close. */
  AutoCloseable transport() {
    return transport;
  }

  /** Whether received bytes wait to be decrypted (or decrypted bytes to be read). */
  boolean hasUndecrypted() {
    return netIn != null && netIn.hasRemaining() || appIn != null && appIn.hasRemaining();
  }

  /** The decrypted input: {@code read} blocks until at least one byte or the end of the stream. */
  InputStream in() {
    return in;
  }

  /** The encrypting output: {@code write} returns once the records are handed to the transport. */
  OutputStream out() {
    return out;
  }

  /** Closes the transport (no {@code close_notify}, see the class comment); callable from any thread. */
  @Override
  public void close() {
    closeTransport();
  }

  private void closeTransport() {
    try {
      transport.close();
    } catch (Exception e) {
      // nothing left to release
    }
    if (released.compareAndSet(false, true)) {
      OpenSslEngines.release(engine); // BoringSSL's native state; the JDK's engine holds none
    }
  }

  private void completeHandshake() throws IOException {
    HandshakeStatus status = engine.getHandshakeStatus();
    while (true) {
      switch (status) {
        case NEED_WRAP -> status = wrap(EMPTY);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (netIn == null || !netIn.hasRemaining()) {
            // BoringSSL's engine notices that the server's Finished completed the handshake only on
            // the next unwrap: ask it before waiting for bytes that will not come. The JDK's answers
            // BUFFER_UNDERFLOW and NEED_UNWRAP, and nothing changes.
            HandshakeStatus after = unwrapNothing();
            if (after != HandshakeStatus.NEED_UNWRAP) {
              status = after;
              continue;
            }
          }
          SSLEngineResult result = unwrapOnce();
          if (result == null) {
            throw new EOFException("connection closed during the TLS handshake");
          }
          status = result.getHandshakeStatus();
        }
        case NEED_TASK -> status = runTasks();
        case FINISHED, NOT_HANDSHAKING -> {
          return;
        }
        default -> throw new SSLException("unexpected handshake status " + status);
      }
    }
  }

  private HandshakeStatus unwrapNothing() throws SSLException {
    ByteBuffer plain = lend(applicationSize);
    try {
      return engine.unwrap(EMPTY, plain).getHandshakeStatus();
    } finally {
      giveBack(plain);
    }
  }

  private HandshakeStatus runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
    return engine.getHandshakeStatus();
  }

  /**
   * Encrypts all of {@code source} (several records if it is long) and writes them in one write
   * to the transport; returns the handshake status after the last record.
   */
  private HandshakeStatus wrap(ByteBuffer source) throws IOException {
    if (direct == null || source.isDirect() || !source.hasRemaining()) {
      return wrapRecords(source);
    }
    // Plaintext from a byte array: copied into a direct buffer here, a record's worth at a time.
    ByteBuffer plain = lend(POOLED);
    try {
      HandshakeStatus status = HandshakeStatus.NOT_HANDSHAKING;
      while (source.hasRemaining()) {
        int n = Math.min(plain.capacity(), source.remaining());
        plain.clear();
        plain.put(plain.position(), source, source.position(), n).limit(n);
        source.position(source.position() + n);
        status = wrapRecords(plain);
      }
      return status;
    } finally {
      giveBack(plain);
    }
  }

  private HandshakeStatus wrapRecords(ByteBuffer source) throws IOException {
    ByteBuffer lent = lend(packetSize);
    ByteBuffer netOut = lent;
    try {
      HandshakeStatus status;
      do {
        SSLEngineResult result = engine.wrap(source, netOut);
        status = result.getHandshakeStatus();
        switch (result.getStatus()) {
          case OK -> {
            if (status == HandshakeStatus.NEED_TASK) {
              status = runTasks();
            }
          }
          case BUFFER_OVERFLOW -> {
            flush(netOut);
            if (netOut.capacity() < engine.getSession().getPacketBufferSize()) {
              netOut = allocate(engine.getSession().getPacketBufferSize());
            }
          }
          case CLOSED -> throw new SSLException("the TLS connection is closed");
          default -> throw new SSLException("unexpected wrap status " + result.getStatus());
        }
        // Keep wrapping while the engine has handshake records of its own to send.
      } while (source.hasRemaining() || status == HandshakeStatus.NEED_WRAP && source == EMPTY);
      flush(netOut);
      return status;
    } finally {
      giveBack(lent);
    }
  }

  private void flush(ByteBuffer netOut) throws IOException {
    if (netOut.position() > 0) {
      if (direct != null) {
        direct.write(netOut.flip());
      } else {
        rawOut.write(netOut.array(), netOut.arrayOffset(), netOut.position());
        rawOut.flush();
      }
      netOut.clear();
    }
  }

  /**
   * Decrypts one record from {@link #netIn}, reading from the transport when no whole record is
   * there; returns {@code null} at the end of the stream.
   */
  private SSLEngineResult unwrapOnce() throws IOException {
    if (appIn == null) {
      appIn = lend(applicationSize);
      appIn.limit(0);
    }
    while (true) {
      if (netIn != null && netIn.hasRemaining()) {
        appIn.compact(); // write mode after the bytes not yet consumed
        SSLEngineResult result;
        try {
          result = engine.unwrap(netIn, appIn);
        } finally {
          appIn.flip();
        }
        switch (result.getStatus()) {
          case OK, CLOSED -> {
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
              inboundDone = true;
            }
            releaseNetInIfEmpty();
            return result;
          }
          case BUFFER_OVERFLOW -> {
            if (appIn.hasRemaining()) {
              return result; // let the reader drain what is there first
            }
            appIn = allocate(engine.getSession().getApplicationBufferSize());
            appIn.limit(0);
            continue;
          }
          case BUFFER_UNDERFLOW -> {
            // a record is incomplete: read more below
          }
          default -> throw new SSLException("unexpected unwrap status " + result.getStatus());
        }
      }
      if (!readMore()) {
        return null;
      }
    }
  }

  /** Appends bytes from the transport to {@link #netIn}; false at the end of the stream. */
  private boolean readMore() throws IOException {
    if (netIn == null) {
      netIn = lend(packetSize);
      netIn.limit(0);
    } else {
      netIn.compact();
      netIn.flip();
    }
    if (netIn.limit() == netIn.capacity()) {
      ByteBuffer bigger = allocate(Math.max(netIn.capacity() * 2, engine.getSession().getPacketBufferSize()));
      bigger.put(netIn).flip();
      netIn = bigger;
    }
    int n;
    if (direct != null) {
      int pending = netIn.limit();
      netIn.position(pending).limit(netIn.capacity());
      n = 0;
      try {
        n = direct.read(netIn);
      } finally {
        // Read mode again, also when the read was cut short (an HTTP/2 stream's timeout) and throws.
        netIn.position(0).limit(pending + Math.max(n, 0));
      }
    } else {
      n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.limit(), netIn.capacity() - netIn.limit());
      if (n > 0) {
        netIn.limit(netIn.limit() + n);
      }
    }
    return n >= 0;
  }

  private void releaseNetInIfEmpty() {
    if (netIn != null && !netIn.hasRemaining()) {
      giveBack(netIn);
      netIn = null;
    }
  }

  private int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (appIn == null || !appIn.hasRemaining()) {
      if (inboundDone) {
        return -1;
      }
      SSLEngineResult result = unwrapOnce();
      if (result == null) {
        // The server closed without close_notify, as many do after a response with Connection: close.
        inboundDone = true;
        return -1;
      }
      HandshakeStatus status = result.getHandshakeStatus();
      // A post-handshake message (a TLS 1.3 KeyUpdate) may want an answer.
      while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
        status = status == HandshakeStatus.NEED_TASK ? runTasks() : wrap(EMPTY);
      }
    }
    int n = Math.min(length, appIn.remaining());
    appIn.get(target, offset, n);
    if (!appIn.hasRemaining()) {
      giveBack(appIn);
      appIn = null;
    }
    return n;
  }

  /** A buffer of at least {@code size} bytes, of this socket's kind, from the pool when it is small. */
  private ByteBuffer lend(int size) {
    if (direct == null) {
      return ByteBuffer.wrap(take(size));
    }
    if (size <= POOLED) {
      ByteBuffer buffer = IDLE_DIRECT.relaxedPoll();
      return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(POOLED);
    }
    return ByteBuffer.allocateDirect(size);
  }

  /** A larger buffer than the pool's, of this socket's kind; it is not pooled. */
  private ByteBuffer allocate(int size) {
    return direct == null ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
  }

  private void giveBack(ByteBuffer buffer) {
    if (!buffer.isDirect()) {
      give(buffer.array());
    } else if (buffer.capacity() == POOLED) {
      IDLE_DIRECT.relaxedOffer(buffer);
    }
  }

  private static byte[] take(int size) {
    if (size <= POOLED) {
      byte[] buffer = IDLE.relaxedPoll();
      return buffer != null ? buffer : new byte[POOLED];
    }
    return new byte[size];
  }

  private static void give(byte[] buffer) {
    if (buffer.length == POOLED) {
      IDLE.relaxedOffer(buffer);
    }
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("stampede-tls-handshake-timeouts").factory());
    timer.setRemoveOnCancelPolicy(true);
    return timer;
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
      return TlsSocket.this.read(b, off, len);
    }

    @Override
    public void close() {
      TlsSocket.this.close();
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      wrap(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() {
      TlsSocket.this.close();
    }
  }
}
