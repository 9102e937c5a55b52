package dev.stampede.http;

import dev.stampede.carrier.CarrierLoop;
import dev.stampede.carrier.PolledSocket;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection on a blocking socket: HTTP/1.1 with its own read buffer, or HTTP/2
 * through an {@link Http2Codec} when ALPN chose {@code h2} (or h2c was asked for), one stream at a
 * time for its one user.
 *
 * <p>Blocking I/O is deliberate: users run on virtual threads, and a virtual thread blocked on a
 * socket read parks and frees its carrier, so a plain {@link Socket} costs no platform thread per
 * user while keeping the request path short (one write, usually one read). See BENCHMARKS.md for
 * the measurements that chose this over {@code java.net.http.HttpClient}. A plain-HTTP user on a
 * {@link CarrierLoop} gets a {@link PolledSocket} instead, whose streams block the same way but wait
 * on the loop's own poller (cheaper per response); TLS runs over either as a {@link TlsSocket}.
 *
 * <p>Not thread-safe: a connection belongs to one session, and a session to one user thread.
 */
final class Connection implements AutoCloseable {

  /** The longest response head (status line and headers) accepted, in bytes. */
  static final int MAX_HEAD = 64 * 1024;

  /** The most header lines accepted in one response. */
  private static final int MAX_HEADERS = 256;

  /**
   * HTTP/2: how long after the earliest open stream's deadline the {@link Watchdog} closes the
   * connection all the same. Its reads give up at that deadline without closing (see
   * {@link Http2Codec}); this only ends a user stuck elsewhere, in a write the server no longer
   * reads, say. One second leaves a woken user time to run on a busy machine.
   */
  static final long H2_BACKSTOP_NANOS = TimeUnit.SECONDS.toNanos(1);

  final String origin;
  /**
   * A {@link PolledSocket} when the user runs on a {@link CarrierLoop}, a blocking
   * {@link SocketChannel} elsewhere, or a {@link TlsSocket} over either.
   */
  private final AutoCloseable socket;
  private final InputStream in;
  private final OutputStream out;
  /**
   * The read buffer, lent by {@link LentBuffers} while a response is read and given back once it
   * is consumed, so idle users hold none; it doubles when a response head needs it (up to
   * {@link #MAX_HEAD}), and bodies with a length are read straight into their own array.
   */
  private byte[] buf;
  private int pos;
  private int limit;
  /** When the current response must be complete ({@link System#nanoTime}); 0 when none is awaited. */
  private volatile long deadlineNanos;
  private volatile boolean expired;
  private long timeoutNanos;
  /** Response bytes read since {@link #beginResponse}; 0 means the server sent nothing at all. */
  private long responseBytes;
  private int exchanges;
  /** The HTTP/2 codec when this connection speaks HTTP/2, else {@code null}. */
  private final Http2Codec h2;
  /** The HTTP/2 stream of the current exchange. */
  private Http2Codec.Stream stream;
  /** The deadline {@link #beginResponse} gave, for the HTTP/2 stream that {@link #send} opens. */
  private long exchangeDeadlineNanos;
  /** On a carrier loop: the socket (under TLS, if any), whose waiting read can be cut short. */
  private final PolledSocket polled;
  /** Off the loops: the channel's input, whose reads can be bounded. */
  private final ChannelInput channelIn;
  /**
   * HTTP/2 on a carrier loop: when the {@link Watchdog} cuts the waiting read short (the earliest
   * open stream's deadline, {@link System#nanoTime}); 0 when none is awaited.
   */
  private volatile long cutNanos;
  private volatile boolean closed;

  /** Package-private for the response parser's benchmark (bench/jmh), which reads from memory. */
  Connection(String origin, AutoCloseable socket, InputStream in, OutputStream out) {
    this.origin = origin;
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.h2 = null;
    this.polled = null;
    this.channelIn = null;
    Watchdog.register(this);
  }

  /**
   * @param channelIn the input of the channel under any TLS when the user is off the carrier loops
   * @param h2 whether to speak HTTP/2 ({@code https} says which {@code :scheme})
   */
  private Connection(String origin, AutoCloseable socket, InputStream in, OutputStream out, ChannelInput channelIn,
      boolean h2, boolean https) throws IOException {
    this.origin = origin;
    this.socket = socket;
    this.in = in;
    this.out = out;
    Object transport = socket instanceof TlsSocket tlsSocket ? tlsSocket.transport() : socket;
    this.polled = transport instanceof PolledSocket p ? p : null;
    this.channelIn = channelIn;
    this.h2 = h2 ? new Http2Codec(in, out, https, new BoundedReads()) : null;
    Watchdog.register(this);
  }

  /**
   * Connects to {@code target}'s origin, with a TLS handshake for {@code https}.
   *
   * @throws IOException a {@link java.net.ConnectException}, {@link SocketTimeoutException} (connect
   *     timeout), {@link java.net.UnknownHostException} or a TLS failure
   */
  static Connection open(Target target, int connectTimeoutMillis, TlsClient tls) throws IOException {
    return open(target, null, connectTimeoutMillis, tls, HttpVersion.HTTP_1_1);
  }

  /**
   * Like {@link #open(Target, int, TlsClient)}, through {@code proxy} unless it is {@code null}:
   * plain HTTP connects to the proxy (one connection for every origin, see {@link #key}); https
   * connects to the proxy, opens a {@link ProxyTunnel} to the origin, and speaks TLS with the
   * origin through it. The socket is a {@link PolledSocket} on the current thread's
   * {@link CarrierLoop} when it has one, else a blocking {@link SocketChannel}; TLS runs over
   * either as a {@link TlsSocket}, and the tunnel and handshake together take at most the connect
   * timeout. {@code version} says what ALPN offers, and whether plain HTTP speaks h2c (not through a
   * forward proxy, which gets HTTP/1.1).
   *
   * @throws ProtocolException when {@code version} is {@link HttpVersion#HTTP_2} and the server did
   *     not choose {@code h2}
   */
  static Connection open(Target target, Proxies.Proxy proxy, int connectTimeoutMillis, TlsClient tls,
      HttpVersion version) throws IOException {
    String host = proxy == null ? target.host() : proxy.host();
    int port = proxy == null ? target.port() : proxy.port();
    AutoCloseable transport;
    InputStream in;
    OutputStream out;
    ChannelInput channelIn = null;
    if (CarrierLoop.current() != null) {
      PolledSocket polled = PolledSocket.connect(host, port, connectTimeoutMillis);
      transport = polled;
      in = polled.in();
      out = polled.out();
    } else {
      // A channel rather than a Socket so that a pooled connection can be checked for the server's
      // close without blocking (see isStale).
      SocketChannel channel = SocketChannel.open();
      transport = channel;
      try {
        channel.socket().setTcpNoDelay(true);
        channel.socket().connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        channelIn = new ChannelInput(channel);
        in = channelIn;
        out = Channels.newOutputStream(channel);
      } catch (IOException | RuntimeException e) {
        closeQuietly(channel);
        throw e;
      }
    }
    if (!target.https()) {
      boolean h2c = version == HttpVersion.HTTP_2 && proxy == null;
      try {
        return new Connection(key(target, proxy), transport, in, out, channelIn, h2c, false);
      } catch (IOException | RuntimeException e) {
        closeQuietly(transport);
        throw e;
      }
    }
    TlsSocket.Step tunnel = proxy == null ? null : () -> ProxyTunnel.open(in, out, target, proxy);
    TlsSocket tlsSocket = TlsSocket.handshake(transport, in, out, tunnel, tls, target.host(), target.port(),
        version.alpn(), connectTimeoutMillis);
    boolean h2 = tlsSocket.applicationProtocol().equals("h2");
    if (version == HttpVersion.HTTP_2 && !h2) {
      tlsSocket.close();
      throw new ProtocolException("the server does not speak HTTP/2 (ALPN chose "
          + (tlsSocket.applicationProtocol().isEmpty() ? "no protocol" : tlsSocket.applicationProtocol()) + ")");
    }
    try {
      return new Connection(key(target, proxy), tlsSocket, tlsSocket.in(), tlsSocket.out(), channelIn, h2, true);
    } catch (IOException | RuntimeException e) {
      tlsSocket.close();
      throw e;
    }
  }

  /** Whether this connection speaks HTTP/2. */
  boolean http2() {
    return h2 != null;
  }

  /**
   * The key of the keep-alive connection a request to {@code target} uses: its origin, or for plain
   * HTTP through a proxy the proxy, whose one connection carries requests to any origin.
   */
  static String key(Target target, Proxies.Proxy proxy) {
    return proxy == null || target.https() ? target.origin() : "proxy " + proxy.address();
  }

  /** How many responses this connection has completed; > 0 means it is a reused keep-alive one. */
  int exchanges() {
    return exchanges;
  }

  /** Whether the server has sent no byte of the current response yet. */
  boolean nothingReceived() {
    return h2 != null ? stream == null || stream.nothingReceived() : responseBytes == 0;
  }

  /**
   * Whether this idle keep-alive connection must not carry another request: the server closed it,
   * or sent bytes that answer no request of ours (an unsolicited {@code 408}, say), since the last
   * response. Never blocks. On a carrier loop it costs no system call unless the loop saw the
   * socket turn readable; a blocking channel is read once without waiting. Over TLS the transport
   * under the {@link TlsSocket} is checked the same way: any byte there after a response is a
   * {@code close_notify}, an alert or the end of the stream.
   */
  boolean isStale() {
    if (h2 != null) {
      // Frames arrive while idle (SETTINGS, PING, WINDOW_UPDATE, a GOAWAY) and the server may close
      // the connection: what has arrived is read into the codec without waiting, so a request never
      // goes out on a connection whose GOAWAY or end is already here (RFC 9113 section 6.8). On a
      // loop that costs nothing unless the loop saw the socket turn readable, as for HTTP/1.1.
      if (closed || !h2.usable()) {
        return true;
      }
      if (polled == null && channelIn == null) {
        return false; // no transport it can read from without waiting (none that open() makes)
      }
      if (polled != null && !polled.readableWhileIdle()
          && !(socket instanceof TlsSocket tlsSocket && tlsSocket.hasUndecrypted())) {
        return false;
      }
      return !h2.readWhileIdle();
    }
    if (buf != null && pos != limit) {
      return true; // bytes beyond the last response would be read as the next one's
    }
    Object transport = socket;
    if (socket instanceof TlsSocket tlsSocket) {
      if (tlsSocket.hasUndecrypted()) {
        return true; // a record after the response: an alert, or data nobody asked for
      }
      // Any record now (close_notify, an alert) or the end of the stream: the server is done with it.
      transport = tlsSocket.transport();
    }
    try {
      int n;
      if (transport instanceof PolledSocket polled) {
        if (!polled.readableWhileIdle()) {
          return false;
        }
        n = polled.readIfReady(new byte[1], 0, 1);
      } else if (transport instanceof SocketChannel channel) {
        channel.configureBlocking(false);
        try {
          n = channel.read(ByteBuffer.allocate(1));
        } finally {
          channel.configureBlocking(true);
        }
      } else {
        return false;
      }
      return n != 0;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /**
   * Starts the clock for one exchange: the request must be sent and the whole response read
   * before {@code deadline} ({@link System#nanoTime}), or the {@link Watchdog} closes the socket.
   */
  void beginResponse(long deadlineNanos, long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
    this.responseBytes = 0;
    this.exchangeDeadlineNanos = deadlineNanos;
    long close = h2 != null ? deadlineNanos + H2_BACKSTOP_NANOS : deadlineNanos;
    this.deadlineNanos = close == 0 ? 1 : close;
  }

  /**
   * Called by the {@link Watchdog}: cuts an HTTP/2 read short at the earliest open stream's
   * deadline, and closes the socket when the current exchange is late.
   */
  void expireIfLate(long nowNanos) {
    long cut = cutNanos;
    if (cut != 0 && nowNanos - cut > 0) {
      cutNanos = 0;
      polled.cutRead();
    }
    long deadline = deadlineNanos;
    if (deadline != 0 && nowNanos - deadline > 0) {
      expired = true;
      close();
    }
  }

  /**
   * Reads one complete response, skipping interim 1xx responses, keeping at most {@code keepLimit}
   * bytes of its body.
   *
   * @param head whether the request was {@code HEAD} (the response has no body whatever it says)
   * @param keepLimit the largest body (as it arrives, before content decoding) kept in memory; a
   *     larger one is read to its end, counted and discarded, and the response has no body bytes
   */
  RawResponse readResponse(boolean head, long keepLimit) throws IOException {
    if (h2 != null) {
      try {
        return await(stream, keepLimit);
      } finally {
        endResponse(); // a stream given up at its deadline leaves the connection open for the next request
      }
    }
    if (buf == null) {
      buf = LentBuffers.take();
    }
    try {
      while (true) {
        RawResponse response = readOne(head, keepLimit);
        if (response != null) {
          exchanges++;
          deadlineNanos = 0;
          if (pos == limit) {
            // Nothing of a next response is buffered: the buffer can serve another connection.
            LentBuffers.give(buf);
            buf = null;
            pos = 0;
            limit = 0;
          }
          return response;
        }
      }
    } catch (IOException e) {
      throw expired ? new ResponseTimeoutException(timeoutNanos) : e;
    }
  }

  /**
   * Sends a request as one more concurrent HTTP/2 stream (see {@link #send} for its form), for
   * {@link #await}; only on a connection that speaks {@link #http2}.
   */
  Http2Codec.Stream sendStream(byte[] request, int length) throws IOException {
    try {
      // Each stream's response timeout runs from when it is sent.
      return h2.send(request, length, System.nanoTime() + timeoutNanos, timeoutNanos);
    } catch (IOException e) {
      throw expired ? new ResponseTimeoutException(timeoutNanos) : e;
    }
  }

  /** Reads until {@code stream}'s response is complete, as {@link #readResponse} does for HTTP/1.1. */
  RawResponse await(Http2Codec.Stream stream, long keepLimit) throws IOException {
    try {
      RawResponse response = h2.await(stream, keepLimit);
      exchanges++;
      return response;
    } catch (IOException e) {
      throw expired ? new ResponseTimeoutException(timeoutNanos) : e;
    }
  }

  /** Ends the response timeout that {@link #beginResponse} started, once every awaited stream is read. */
  void endResponse() {
    deadlineNanos = 0;
    cutNanos = 0;
  }

  /**
   * How the HTTP/2 codec's reads wait: until the earliest open stream's deadline, then they give
   * up without closing the connection (the watchdog cuts a read on a carrier loop short, a channel
   * off the loops has {@code SO_TIMEOUT}); or not at all, for an idle connection's check. Each
   * bound also moves the watchdog's close to {@link #H2_BACKSTOP_NANOS} after it.
   */
  private final class BoundedReads implements Http2Codec.Reads {
    @Override
    public void until(long deadlineNanos) {
      long close = deadlineNanos + H2_BACKSTOP_NANOS;
      Connection.this.deadlineNanos = close == 0 ? 1 : close;
      if (channelIn != null) {
        channelIn.readUntil(deadlineNanos);
      } else if (polled != null) {
        cutNanos = deadlineNanos == 0 ? 1 : deadlineNanos;
      }
    }

    @Override
    public void pendingOnly() {
      if (channelIn != null) {
        channelIn.pendingOnly();
      } else if (polled != null) {
        polled.cutRead();
      }
    }
  }

  /** Writes a whole request. */
  void send(byte[] request, int length) throws IOException {
    try {
      if (h2 != null) {
        stream = null;
        try {
          stream = h2.send(request, length, exchangeDeadlineNanos, timeoutNanos);
        } catch (IOException | RuntimeException e) {
          endResponse(); // no stream to wait for: a connection kept must not be closed by the watchdog later
          throw e;
        }
        return;
      }
      out.write(request, 0, length);
      out.flush();
    } catch (IOException e) {
      throw expired ? new ResponseTimeoutException(timeoutNanos) : e;
    }
  }

  private RawResponse readOne(boolean head, long keepLimit) throws IOException {
    int headEnd = readHead();
    int start = pos;
    int lineEnd = lineEnd(start, headEnd);
    int statusEnd = withoutCr(start, lineEnd);
    // "HTTP/1.1 200 OK": version, a space, three digits, then an optional reason phrase.
    if (statusEnd - start < 12 || !startsWith(start, "HTTP/1.") || buf[start + 8] != ' ') {
      throw new MalformedResponseException("bad status line: " + abbreviate(start, statusEnd));
    }
    boolean http10 = buf[start + 7] == '0';
    int status = parseStatus(start, statusEnd);
    int reasonStart = trimStart(Math.min(start + 13, statusEnd), statusEnd);
    int reasonEnd = trimEnd(reasonStart, statusEnd);
    int[] spans = new int[4 * 8];
    int count = 0;
    long contentLength = -1;
    boolean chunked = false;
    boolean close = http10;
    String conflictingLengths = null;
    for (int line = lineEnd + 1; line < headEnd; line = lineEnd + 1) {
      lineEnd = lineEnd(line, headEnd);
      int end = withoutCr(line, lineEnd);
      if (end == line) {
        break; // the blank line that ends the head
      }
      int colon = indexOf(':', line, end);
      int nameEnd = colon < 0 ? line : trimEnd(line, colon);
      if (nameEnd == line) {
        throw new MalformedResponseException("bad header line: " + abbreviate(line, end));
      }
      if (count == MAX_HEADERS) {
        throw new MalformedResponseException("more than " + MAX_HEADERS + " headers");
      }
      int valueStart = trimStart(colon + 1, end);
      int valueEnd = trimEnd(valueStart, end);
      if (4 * count == spans.length) {
        spans = Arrays.copyOf(spans, spans.length * 2);
      }
      spans[4 * count] = line - start;
      spans[4 * count + 1] = nameEnd - start;
      spans[4 * count + 2] = valueStart - start;
      spans[4 * count + 3] = valueEnd - start;
      count++;
      // Only the headers that frame the message are looked at here; the rest stay bytes.
      if (ResponseHead.equalsIgnoreCase(buf, line, nameEnd, "content-length")) {
        long length = parseContentLength(valueStart, valueEnd);
        if (contentLength >= 0 && length != contentLength) {
          conflictingLengths = contentLength + " and " + length; // an error unless chunked wins below
        }
        contentLength = length;
      } else if (ResponseHead.equalsIgnoreCase(buf, line, nameEnd, "transfer-encoding")) {
        chunked = valueEnd - valueStart >= 7
            && ResponseHead.equalsIgnoreCase(buf, valueEnd - 7, valueEnd, "chunked");
      } else if (ResponseHead.equalsIgnoreCase(buf, line, nameEnd, "connection")) {
        if (containsToken(valueStart, valueEnd, "close")) {
          close = true;
        } else if (http10 && containsToken(valueStart, valueEnd, "keep-alive")) {
          close = false;
        }
      }
    }
    if (chunked && contentLength >= 0) {
      // RFC 9112 section 6.3: Transfer-Encoding overrides Content-Length, and such a response may be
      // an attempt at request smuggling or response splitting: its connection is not reused.
      close = true;
    } else if (conflictingLengths != null) {
      // RFC 9112 section 6.3: different Content-Length values make the framing unrecoverable.
      throw new MalformedResponseException("different Content-Length values: " + conflictingLengths);
    }
    ResponseHead responseHead = new ResponseHead(Arrays.copyOfRange(buf, start, headEnd),
        reasonStart - start, reasonEnd - start, spans, count);
    pos = headEnd;
    if (status >= 100 && status < 200 && status != 101) {
      return null;
    }
    Body body;
    if (head || status == 204 || status == 304 || status < 200) {
      body = Body.NONE;
    } else if (chunked) {
      body = readChunked(keepLimit);
    } else if (contentLength >= 0) {
      body = readFixed(contentLength, keepLimit);
    } else {
      body = readUntilClose(keepLimit);
      close = true;
    }
    return new RawResponse(status, responseHead, body.kept, body.length, !close);
  }

  /** A body as read: its length as it arrived and its bytes, or {@code null} when not kept. */
  private record Body(byte[] kept, long length) {
    static final Body NONE = new Body(EMPTY, 0);
  }

  /**
   * Makes sure a whole response head (status line, header lines, blank line) is in the buffer from
   * {@code pos}, reading as needed; returns the index just past its blank line.
   */
  private int readHead() throws IOException {
    int scanned = 0; // relative to pos: no end of the head starts before it
    while (true) {
      int i = pos + scanned;
      while ((i = Bytes.find(buf, i, limit, (byte) '\n')) < limit) {
        if (i + 1 == limit) {
          break; // cannot tell yet whether a blank line follows
        }
        if (buf[i + 1] == '\n') {
          return i + 2;
        }
        if (buf[i + 1] == '\r') {
          if (i + 2 == limit) {
            break;
          }
          if (buf[i + 2] == '\n') {
            return i + 3;
          }
        }
        i++;
      }
      scanned = i - pos;
      readMore("response head", "the response head");
    }
  }

  /** The index of the next LF at or after {@code from} (the head always ends in one). */
  private int lineEnd(int from, int headEnd) {
    return Bytes.find(buf, from, headEnd, (byte) '\n');
  }

  private int withoutCr(int start, int lf) {
    return lf > start && buf[lf - 1] == '\r' ? lf - 1 : lf;
  }

  private int indexOf(char c, int start, int end) {
    int i = Bytes.find(buf, start, end, (byte) c);
    return i < end ? i : -1;
  }

  private int trimStart(int start, int end) {
    while (start < end && (buf[start] & 0xff) <= ' ') {
      start++;
    }
    return start;
  }

  private int trimEnd(int start, int end) {
    while (end > start && (buf[end - 1] & 0xff) <= ' ') {
      end--;
    }
    return end;
  }

  private boolean startsWith(int start, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (buf[start + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the comma-separated list in {@code buf[start, end)} holds {@code token}. */
  private boolean containsToken(int start, int end, String token) {
    int from = start;
    while (from <= end) {
      int comma = indexOf(',', from, end);
      int to = comma < 0 ? end : comma;
      int partStart = trimStart(from, to);
      if (ResponseHead.equalsIgnoreCase(buf, partStart, trimEnd(partStart, to), token)) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      from = comma + 1;
    }
    return false;
  }

  static final byte[] EMPTY = new byte[0];

  private Body readFixed(long length, long keepLimit) throws IOException {
    if (length > keepLimit) {
      discard(length);
      return new Body(null, length);
    }
    byte[] body = new byte[(int) length];
    int filled = Math.min(limit - pos, body.length);
    System.arraycopy(buf, pos, body, 0, filled);
    pos += filled;
    while (filled < body.length) {
      int n = readDirect(body, filled, body.length - filled);
      if (n < 0) {
        throw new EOFException("connection closed after " + filled + " of " + length + " body bytes");
      }
      filled += n;
    }
    return new Body(body, length);
  }

  /** Reads and drops {@code length} body bytes: what is buffered first, then in large reads. */
  private void discard(long length) throws IOException {
    long remaining = length;
    int buffered = (int) Math.min(limit - pos, remaining);
    pos += buffered;
    remaining -= buffered;
    if (remaining == 0) {
      return;
    }
    byte[] scratch = remaining > buf.length ? LentBuffers.takeLarge() : buf;
    try {
      while (remaining > 0) {
        int n = readDirect(scratch, 0, (int) Math.min(scratch.length, remaining));
        if (n < 0) {
          throw new EOFException("connection closed after " + (length - remaining) + " of " + length + " body bytes");
        }
        remaining -= n;
      }
    } finally {
      if (scratch != buf) {
        LentBuffers.giveLarge(scratch);
      }
    }
    pos = 0;
    limit = 0;
  }

  private Body readChunked(long keepLimit) throws IOException {
    GrowableBytes body = keepLimit > 0 ? new GrowableBytes(1024) : null;
    long length = 0;
    while (true) {
      String sizeLine = readLine();
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new MalformedResponseException("bad chunk size: " + abbreviate(sizeLine));
      }
      if (size < 0 || size > Long.MAX_VALUE - length) {
        throw new MalformedResponseException("bad chunk size: " + abbreviate(sizeLine));
      }
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailer fields are read and ignored
        }
        return new Body(body == null ? null : body.toByteArray(), length);
      }
      length += size;
      if (body != null && length > keepLimit) {
        body = null; // over the cap: counted from here on, not kept
      }
      long remaining = size;
      while (remaining > 0) {
        if (pos == limit && fill() < 0) {
          throw new EOFException("connection closed inside a chunk");
        }
        int n = (int) Math.min(remaining, limit - pos);
        if (body != null) {
          body.write(buf, pos, n);
        }
        pos += n;
        remaining -= n;
      }
      if (!readLine().isEmpty()) {
        throw new MalformedResponseException("chunk not followed by CRLF");
      }
    }
  }

  private Body readUntilClose(long keepLimit) throws IOException {
    GrowableBytes body = keepLimit > 0 ? new GrowableBytes(1024) : null;
    long length = 0;
    while (true) {
      if (pos == limit && fill() < 0) {
        return new Body(body == null ? null : body.toByteArray(), length);
      }
      length += limit - pos;
      if (body != null && length > keepLimit) {
        body = null;
      }
      if (body != null) {
        body.write(buf, pos, limit - pos);
      }
      pos = limit;
    }
  }

  /** Reads a line ending in LF (CR LF tolerated) as ISO-8859-1, without the line end. */
  private String readLine() throws IOException {
    int scanned = pos;
    while (true) {
      for (int i = scanned; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          return line;
        }
      }
      scanned = limit - pos; // after readMore the unread bytes start at 0
      readMore("line", "the chunked body");
    }
  }

  /**
   * Reads more bytes after the unread ones, first moving those to the front of the buffer and, when
   * they fill it, doubling it (up to {@link #MAX_HEAD}).
   */
  private void readMore(String tooLong, String closedInside) throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      if (buf.length >= MAX_HEAD) {
        throw new MalformedResponseException(tooLong + " longer than " + MAX_HEAD + " bytes");
      }
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    if (fill() < 0) {
      throw new EOFException(responseBytes == 0
          ? "connection closed before a response"
          : "connection closed inside " + closedInside);
    }
  }

  /** Appends bytes from the socket after {@code limit}; -1 at end of stream. */
  private int fill() throws IOException {
    if (pos == limit) {
      // Everything buffered was consumed: read into the whole buffer again.
      pos = 0;
      limit = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n > 0) {
      limit += n;
      responseBytes += n;
    }
    return n;
  }

  private int readDirect(byte[] target, int offset, int length) throws IOException {
    int n = in.read(target, offset, length);
    if (n > 0) {
      responseBytes += n;
    }
    return n;
  }

  private int parseStatus(int start, int end) throws MalformedResponseException {
    int status = 0;
    for (int i = start + 9; i < start + 12; i++) {
      byte c = buf[i];
      if (c < '0' || c > '9') {
        throw new MalformedResponseException("bad status line: " + abbreviate(start, end));
      }
      status = status * 10 + (c - '0');
    }
    return status;
  }

  /** A Content-Length value; a list of identical values ({@code 5, 5}) is that value (RFC 9110 section 8.6). */
  private long parseContentLength(int start, int end) throws MalformedResponseException {
    int comma = indexOf(',', start, end);
    if (comma >= 0) {
      long first = parseContentLength(start, trimEnd(start, comma));
      long rest = parseContentLength(trimStart(comma + 1, end), end);
      if (first != rest) {
        throw new MalformedResponseException("different Content-Length values: " + first + " and " + rest);
      }
      return first;
    }
    if (start < end && buf[start] == '-') {
      throw new MalformedResponseException("negative Content-Length: " + abbreviate(start, end));
    }
    long length = 0;
    for (int i = start; i < end; i++) {
      byte c = buf[i];
      if (c < '0' || c > '9' || length > (Long.MAX_VALUE - 9) / 10) {
        throw new MalformedResponseException("bad Content-Length: " + abbreviate(start, end));
      }
      length = length * 10 + (c - '0');
    }
    if (start == end) {
      throw new MalformedResponseException("bad Content-Length: (empty)");
    }
    return length;
  }

  private String abbreviate(int start, int end) {
    return abbreviate(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  @Override
  public void close() {
    closed = true;
    deadlineNanos = 0;
    Watchdog.unregister(this);
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable socket) {
    try {
      socket.close();
    } catch (Exception e) {
      // nothing left to release
    }
  }

  /**
   * A response as read from the wire.
   *
   * @param head the status line's reason and the headers, parsed on demand
   * @param body the body as it arrived (chunked framing removed, content encoding not), or
   *     {@code null} when it was longer than the keep limit and only counted
   * @param bodyLength the body's length as it arrived, kept or not
   * @param keepAlive whether the connection may carry another request
   */
  record RawResponse(int status, ResponseHead head, byte[] body, long bodyLength, boolean keepAlive) {}

  /** The server sent something that is not HTTP/1.x. */
  static final class MalformedResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String message) {
      super(message);
    }
  }

  /** The whole response did not arrive within the response timeout. */
  static final class ResponseTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    private final boolean connectionKept;

    ResponseTimeoutException(long timeoutNanos) {
      this(timeoutNanos, false);
    }

    /** @param connectionKept whether only the request's HTTP/2 stream was given up, its connection kept */
    ResponseTimeoutException(long timeoutNanos, boolean connectionKept) {
      super("response timed out after " + (timeoutNanos / 1_000_000) + " ms");
      this.connectionKept = connectionKept;
    }

    /**
     * Whether only the request's HTTP/2 stream was given up (reset with {@code CANCEL}) and its
     * connection may carry the next requests; otherwise the connection is closed.
     */
    boolean connectionKept() {
      return connectionKept;
    }
  }

  /** A byte array that grows by doubling. */
  static final class GrowableBytes {
    private byte[] bytes;
    private int size;

    GrowableBytes(int initial) {
      bytes = new byte[initial];
    }

    /** Writes into {@code initial} first (a lent buffer), growing into a new array when it is full. */
    GrowableBytes(byte[] initial) {
      bytes = initial;
    }

    void write(byte[] source, int offset, int length) {
      ensure(length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    /** Appends {@code s} as ISO-8859-1, replacing characters outside it by {@code ?}. */
    void writeLatin1(String s) {
      int length = s.length();
      ensure(length);
      for (int i = 0; i < length; i++) {
        char c = s.charAt(i);
        bytes[size++] = c < 256 ? (byte) c : (byte) '?';
      }
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    int size() {
      return size;
    }

    byte[] array() {
      return bytes;
    }

    byte[] toByteArray() {
      return size == 0 ? EMPTY : Arrays.copyOf(bytes, size);
    }
  }
}
