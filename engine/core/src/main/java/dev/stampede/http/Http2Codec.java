package dev.stampede.http;

import dev.stampede.http.Connection.GrowableBytes;
import dev.stampede.http.Connection.MalformedResponseException;
import dev.stampede.http.Connection.RawResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP/2 on one connection: Netty's HTTP/2 codec (framing, HPACK, flow control, SETTINGS and PING
 * answers) in an {@link EmbeddedChannel}, fed from and written to the connection's own blocking
 * streams by the thread of the user that owns it. No Netty event loop or thread is involved: bytes
 * read from the socket go into the channel, the frames for our streams come out of its listener,
 * and whatever the codec wants to send (requests, acknowledgements, window updates) is written to
 * the socket after each step. So a user on a carrier loop stays on its loop, as with HTTP/1.1
 * (decision 0008).
 *
 * <p>Requests arrive encoded as HTTP/1.1 by {@link HttpSession}, which keeps one place for
 * default headers, cookies, credentials and bodies; {@link #send} translates the request line and
 * header fields into HTTP/2 pseudo-headers and lower-case fields, dropping the connection-specific
 * ones (RFC 9113 section 8.2.2). Responses are handed back as a {@link RawResponse} whose head
 * reads like an HTTP/1.1 one ({@code HTTP/2 200}), so redirects, cookies and content decoding work
 * the same.
 *
 * <p>Timeouts are per stream (RFC 9113 section 5.4.2 lets either side give up one stream): each
 * has its deadline, its response timeout from when it was sent, and reads wait no longer than the
 * earliest open stream's (see {@link Reads}). A stream past its deadline is reset with
 * {@code RST_STREAM (CANCEL)} and fails as an HTTP/1.1 request that timed out; the other streams go
 * on, and the connection carries the next requests, whatever the server still sends for the reset
 * stream being read and dropped. Only when nothing at all arrived on the connection during a late
 * stream's whole timeout is the connection given up with it (see {@link #expireLateStreams}).
 *
 * <p>Not thread-safe: the connection belongs to one user.
 */
final class Http2Codec {

  /** The stream window we grant the server: 1 MiB, so a large body is not throttled by round trips. */
  static final int STREAM_WINDOW = 1 << 20;
  /** The connection window we grant the server: 8 MiB. */
  static final int CONNECTION_WINDOW = 8 << 20;
  /** The bytes read from the transport at a time. */
  private static final int READ_SIZE = 16 * 1024;
  /** Header fields that describe the HTTP/1.1 connection, not the request (RFC 9113 section 8.2.2). */
  private static final Set<String> CONNECTION_SPECIFIC = Set.of("host", "connection", "keep-alive",
      "proxy-connection", "transfer-encoding", "upgrade", "te");
  private static final AsciiString HTTPS = AsciiString.cached("https");
  private static final AsciiString HTTP = AsciiString.cached("http");

  private final InputStream in;
  private final Reads reads;
  private final AsciiString scheme;
  private final OutputStream out;
  private final EmbeddedChannel channel;
  private final Http2ConnectionHandler handler;
  private final ChannelHandlerContext context;
  private final Map<Integer, Stream> streams = new HashMap<>(4);
  private final byte[] readBuffer = new byte[READ_SIZE];
  /** The last stream the server will process after its GOAWAY, or -1 while it sent none. */
  private int goAwayLastStream = -1;
  private String goAwayReason;
  /** Bytes read from the connection so far: a stream compares it with the count when it was sent. */
  private long bytesRead;
  /** Set when the connection is given up: the server closed it, or it stayed silent through a timeout. */
  private boolean dead;

  /**
   * A connection's codec; the preface and SETTINGS go out with the first request.
   *
   * @param reads bounds the reads from {@code in}, set before each one
   */
  Http2Codec(InputStream in, OutputStream out, boolean https, Reads reads) throws IOException {
    this.in = in;
    this.reads = reads;
    this.out = out;
    this.scheme = https ? HTTPS : HTTP;
    Http2Settings settings = new Http2Settings().pushEnabled(false).initialWindowSize(STREAM_WINDOW)
        .maxHeaderListSize(Connection.MAX_HEAD);
    this.handler = new Http2ConnectionHandlerBuilder().server(false).initialSettings(settings)
        .frameListener(new Listener()).gracefulShutdownTimeoutMillis(0).build();
    this.channel = new EmbeddedChannel();
    // Unpooled heap buffers without leak detection: Netty's pooled allocator keeps caches per
    // thread, users are many virtual threads, and the garbage collector frees what is dropped.
    channel.config().setAllocator(new UnpooledByteBufAllocator(false, true));
    channel.pipeline().addLast(handler);
    this.context = channel.pipeline().context(handler);
    try {
      handler.connection().local().flowController().incrementWindowSize(handler.connection().connectionStream(),
          CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
    } catch (Http2Exception e) {
      throw new MalformedResponseException("HTTP/2: " + e.getMessage());
    }
  }

  /**
   * How reads from the connection wait, set before each read by the connection that owns the
   * socket. A read that gives up throws a {@link SocketTimeoutException} and leaves the
   * connection usable, what has not arrived yet left for a later read.
   */
  interface Reads {
    /** The reads that follow wait at most until {@code deadlineNanos} ({@link System#nanoTime}). */
    void until(long deadlineNanos) throws IOException;

    /** The reads that follow take only what has already arrived. */
    void pendingOnly() throws IOException;
  }

  /** One request's stream: what has arrived of its response. */
  static final class Stream {
    final int id;
    /** When the response must be complete ({@link System#nanoTime}). */
    private final long deadlineNanos;
    private final long timeoutNanos;
    /** {@link #bytesRead} when the request was sent. */
    private final long bytesReadAtSend;
    private long keepLimit = Long.MAX_VALUE;
    private boolean received;
    private boolean done;
    private IOException failure;
    private int status;
    private ResponseHead head;
    private GrowableBytes body;
    private boolean bodyDropped;
    private long bodyLength;
    /** When the response was complete ({@link System#nanoTime}), or 0. */
    private long doneNanos;

    Stream(int id, long deadlineNanos, long timeoutNanos, long bytesReadAtSend) {
      this.id = id;
      this.deadlineNanos = deadlineNanos;
      this.timeoutNanos = timeoutNanos;
      this.bytesReadAtSend = bytesReadAtSend;
    }

    /** Whether no frame of the response has arrived yet. */
    boolean nothingReceived() {
      return !received;
    }

    /** When the response was read completely ({@link System#nanoTime}), or 0 while it was not. */
    long doneNanos() {
      return doneNanos;
    }

    private void finish() {
      done = true;
      doneNanos = System.nanoTime();
    }
  }

  /**
   * Whether another request may be sent: the server has not said GOAWAY, the connection was not
   * given up, and the codec has not closed it after a protocol error.
   */
  boolean usable() {
    return goAwayLastStream < 0 && !dead && channel.isActive();
  }

  /**
   * Reads what has arrived on the idle connection without waiting (SETTINGS, PING, WINDOW_UPDATE,
   * a GOAWAY, the end of the stream), answers what wants an answer, and returns whether another
   * request may be sent ({@link #usable}).
   */
  boolean readWhileIdle() {
    try {
      while (usable()) {
        reads.pendingOnly();
        int n;
        try {
          n = in.read(readBuffer, 0, readBuffer.length);
        } catch (SocketTimeoutException e) {
          break; // nothing more has arrived
        }
        if (n < 0) {
          dead = true; // the server closed the connection (without a GOAWAY, or after one)
          break;
        }
        bytesRead += n;
        channel.writeInbound(Unpooled.copiedBuffer(readBuffer, 0, n));
      }
      flush();
    } catch (IOException | RuntimeException e) {
      dead = true; // a reset, a TLS alert or a protocol error: not a connection to send on
    }
    return usable();
  }

  /**
   * Sends a request given as HTTP/1.1 bytes (request line, header fields, blank line, body) as
   * one HTTP/2 stream, and returns the stream to {@link #await}.
   *
   * @param deadlineNanos when the response must be complete ({@link System#nanoTime})
   * @param timeoutNanos the response timeout, for the failure's message
   */
  Stream send(byte[] request, int length, long deadlineNanos, long timeoutNanos) throws IOException {
    if (!usable()) {
      throw new StreamException(goAwayReason != null ? goAwayReason : "the HTTP/2 connection is closed", true);
    }
    int lineEnd = indexOf(request, 0, length, (byte) '\n');
    int firstSpace = indexOf(request, 0, lineEnd, (byte) ' ');
    int lastSpace = lastIndexOf(request, firstSpace + 1, lineEnd, (byte) ' ');
    Http2Headers headers = new DefaultHttp2Headers(false)
        .method(ascii(request, 0, firstSpace))
        .scheme(scheme)
        .path(ascii(request, firstSpace + 1, lastSpace));
    int line = lineEnd + 1;
    while (true) {
      int end = indexOf(request, line, length, (byte) '\n');
      int valueEnd = end > line && request[end - 1] == '\r' ? end - 1 : end;
      if (valueEnd == line) {
        line = end + 1;
        break;
      }
      int colon = indexOf(request, line, valueEnd, (byte) ':');
      String name = new String(request, line, colon - line, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      int valueStart = colon + 1;
      while (valueStart < valueEnd && request[valueStart] == ' ') {
        valueStart++;
      }
      AsciiString value = ascii(request, valueStart, valueEnd);
      if (name.equals("host")) {
        headers.authority(value);
      } else if (!CONNECTION_SPECIFIC.contains(name)) {
        headers.add(AsciiString.of(name), value);
      }
      line = end + 1;
    }
    int bodyLength = length - line;
    int id = handler.connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      throw new StreamException("the HTTP/2 connection has used up its stream identifiers", true);
    }
    Stream stream = new Stream(id, deadlineNanos, timeoutNanos, bytesRead);
    streams.put(id, stream);
    ChannelFuture sent = handler.encoder().writeHeaders(context, id, headers, 0, bodyLength == 0, context.newPromise());
    if (bodyLength > 0) {
      // A copy: what flow control holds back is sent later, after the caller reused its buffer.
      handler.encoder().writeData(context, id, Unpooled.copiedBuffer(request, line, bodyLength), 0, true,
          context.newPromise());
    }
    flush();
    if (sent.isDone() && !sent.isSuccess()) {
      streams.remove(id);
      Throwable cause = sent.cause();
      throw new StreamException("HTTP/2 stream not opened: " + cause.getMessage(), true);
    }
    return stream;
  }

  /**
   * Reads from the connection until {@code stream}'s response is complete, or its deadline passed.
   *
   * @param keepLimit the largest body kept; a longer one is counted and dropped
   * @throws StreamException when the stream was reset, or refused or cut off by a GOAWAY before
   *     the server processed it (then it may be sent again on a new connection)
   * @throws Connection.ResponseTimeoutException when the stream's deadline passed; whether its
   *     connection was kept says {@link Connection.ResponseTimeoutException#connectionKept}
   */
  RawResponse await(Stream stream, long keepLimit) throws IOException {
    stream.keepLimit = keepLimit;
    if (stream.body != null && stream.body.size() > keepLimit) {
      stream.body = null;
      stream.bodyDropped = true;
    }
    try {
      while (!stream.done) {
        long earliest = expireLateStreams(System.nanoTime());
        if (stream.done) {
          break;
        }
        reads.until(earliest);
        int n;
        try {
          n = in.read(readBuffer, 0, readBuffer.length);
        } catch (SocketTimeoutException e) {
          continue; // a deadline came (or a stale wake-up): expireLateStreams decides
        }
        if (n < 0) {
          dead = true;
          throw new EOFException(stream.received ? "connection closed inside the HTTP/2 response"
              : "connection closed before a response");
        }
        bytesRead += n;
        try {
          channel.writeInbound(Unpooled.copiedBuffer(readBuffer, 0, n));
        } catch (RuntimeException e) {
          throw new MalformedResponseException("HTTP/2: " + e.getMessage());
        }
        flush();
        if (!stream.done && !channel.isActive()) {
          throw new MalformedResponseException("HTTP/2 connection error"
              + (goAwayReason != null ? " (" + goAwayReason + ")" : ""));
        }
      }
    } finally {
      streams.remove(stream.id);
    }
    if (stream.failure != null) {
      throw stream.failure;
    }
    byte[] kept = stream.bodyDropped ? null : stream.body == null ? Connection.EMPTY : stream.body.toByteArray();
    return new RawResponse(stream.status, stream.head, kept, stream.bodyLength, usable());
  }

  /**
   * Gives up the open streams whose deadline has passed, and returns the earliest deadline of those
   * still open ({@code now} when none is).
   *
   * <p>A late stream is reset with {@code CANCEL}, so the server stops working on it, and fails with
   * the connection kept, as long as anything at all arrived on the connection since the stream was
   * sent: another stream's response, a PING, a WINDOW_UPDATE show that the server reads and writes
   * this connection, and it is only this request that is slow. When nothing arrived during the
   * stream's whole timeout, the connection cannot be told from a dead one (a server that hangs, a
   * half-open TCP connection after a crash, a NAT that forgot the flow): kept, it would make each
   * of the user's next requests wait a whole timeout to find out. Then every open stream fails and
   * the connection is given up; a new one costs one handshake. A PING could tell the two apart, but
   * the answer to it would need a timeout of its own and delay the failure by it.
   */
  private long expireLateStreams(long now) throws IOException {
    long earliest = now;
    boolean waiting = false;
    boolean reset = false;
    for (Stream open : streams.values()) {
      if (open.done) {
        continue;
      }
      if (now - open.deadlineNanos < 0) {
        if (!waiting || open.deadlineNanos - earliest < 0) {
          earliest = open.deadlineNanos;
          waiting = true;
        }
        continue;
      }
      if (bytesRead == open.bytesReadAtSend) {
        dead = true;
        for (Stream any : streams.values()) {
          if (!any.done) {
            any.failure = new Connection.ResponseTimeoutException(any.timeoutNanos, false);
            any.finish();
          }
        }
        return now;
      }
      handler.resetStream(context, open.id, Http2Error.CANCEL.code(), context.newPromise());
      open.failure = new Connection.ResponseTimeoutException(open.timeoutNanos, true);
      open.finish();
      reset = true;
    }
    if (reset) {
      flush();
    }
    return earliest;
  }

  /** Writes what the codec has to send (requests, acknowledgements, window updates) in one write. */
  private void flush() throws IOException {
    channel.flush();
    ByteBuf first = channel.readOutbound();
    if (first == null) {
      return;
    }
    ByteBuf next = channel.readOutbound();
    try {
      if (next == null) {
        write(first);
        return;
      }
      GrowableBytes all = new GrowableBytes(first.readableBytes() + next.readableBytes() + 64);
      append(all, first);
      append(all, next);
      ByteBuf more;
      while ((more = channel.readOutbound()) != null) {
        try {
          append(all, more);
        } finally {
          more.release();
        }
      }
      out.write(all.array(), 0, all.size());
      out.flush();
    } finally {
      first.release();
      if (next != null) {
        next.release();
      }
    }
  }

  private void write(ByteBuf buffer) throws IOException {
    if (buffer.hasArray()) {
      out.write(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), buffer.readableBytes());
    } else {
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.getBytes(buffer.readerIndex(), bytes);
      out.write(bytes);
    }
    out.flush();
  }

  private static void append(GrowableBytes all, ByteBuf buffer) {
    int n = buffer.readableBytes();
    if (buffer.hasArray()) {
      all.write(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), n);
    } else {
      byte[] bytes = new byte[n];
      buffer.getBytes(buffer.readerIndex(), bytes);
      all.write(bytes, 0, n);
    }
  }

  private static AsciiString ascii(byte[] bytes, int start, int end) {
    return new AsciiString(bytes, start, end - start, true);
  }

  private static int indexOf(byte[] bytes, int from, int to, byte b) {
    int i = Bytes.find(bytes, from, to, b);
    if (i >= to) {
      throw new IllegalStateException("malformed request encoding"); // HttpSession always writes whole lines
    }
    return i;
  }

  private static int lastIndexOf(byte[] bytes, int from, int to, byte b) {
    for (int i = to - 1; i >= from; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalStateException("malformed request line");
  }

  /** The response head in HTTP/1.1 form ({@code HTTP/2 200}, then {@code name: value} lines) for {@link ResponseHead}. */
  private static ResponseHead head(Http2Headers headers) {
    GrowableBytes bytes = new GrowableBytes(256);
    bytes.writeLatin1("HTTP/2 ");
    bytes.writeLatin1(headers.status().toString());
    bytes.writeLatin1("\r\n");
    int reason = bytes.size() - 2;
    int[] spans = new int[4 * Math.max(1, headers.size())];
    int count = 0;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> i = headers.iterator(); i.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = i.next();
      CharSequence name = field.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') {
        continue;
      }
      spans[4 * count] = bytes.size();
      bytes.writeLatin1(name.toString());
      spans[4 * count + 1] = bytes.size();
      bytes.writeLatin1(": ");
      spans[4 * count + 2] = bytes.size();
      bytes.writeLatin1(field.getValue().toString());
      spans[4 * count + 3] = bytes.size();
      bytes.writeLatin1("\r\n");
      count++;
    }
    return new ResponseHead(bytes.toByteArray(), reason, reason, spans, count);
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endOfStream) throws Http2Exception {
      Stream stream = streams.get(streamId);
      if (stream == null) {
        return;
      }
      stream.received = true;
      if (stream.head == null) {
        int status;
        try {
          status = headers.status() == null ? -1 : Integer.parseInt(headers.status().toString());
        } catch (NumberFormatException e) {
          status = -1;
        }
        if (status < 100 || status > 999) {
          fail(stream, new MalformedResponseException("HTTP/2 response without a valid :status"));
          return;
        }
        if (status < 200 && !endOfStream) {
          return; // an interim response (100 Continue, 103 Early Hints): the final one follows
        }
        stream.status = status;
        stream.head = head(headers);
        if (stream.keepLimit > 0) {
          CharSequence length = headers.get("content-length");
          if (length != null && parseLength(length) > stream.keepLimit) {
            stream.bodyDropped = true;
          } else {
            stream.body = new GrowableBytes(length == null ? 1024 : (int) Math.max(0, parseLength(length)));
          }
        } else {
          stream.bodyDropped = true;
        }
      }
      if (endOfStream) {
        stream.finish(); // trailers, if these were, are read and ignored as for HTTP/1.1
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int n = data.readableBytes();
      Stream stream = streams.get(streamId);
      if (stream != null && !stream.done) {
        stream.received = true;
        stream.bodyLength += n;
        if (stream.body != null) {
          if (stream.bodyLength > stream.keepLimit) {
            stream.body = null; // over the cap: counted from here on, not kept
            stream.bodyDropped = true;
          } else {
            append(stream.body, data);
          }
        }
        if (endOfStream) {
          stream.finish();
        }
      }
      return n + padding; // consumed: the codec's flow controller returns it to the server's window
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Stream stream = streams.get(streamId);
      if (stream == null) {
        return;
      }
      String reason = "HTTP/2 stream reset by the server (" + errorName(errorCode) + ")";
      // RFC 9113 section 8.7: REFUSED_STREAM means the request was not processed at all.
      fail(stream, new StreamException(reason, errorCode == Http2Error.REFUSED_STREAM.code() && !stream.received));
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      goAwayLastStream = lastStreamId;
      goAwayReason = "the server sent GOAWAY (" + errorName(errorCode) + ")";
      // RFC 9113 section 6.8: streams above the last one were not processed and may be retried.
      for (Stream stream : streams.values()) {
        if (stream.id > lastStreamId && !stream.done) {
          fail(stream, new StreamException(goAwayReason + " before this request's stream", true));
        }
      }
    }

    private void fail(Stream stream, IOException failure) {
      stream.failure = failure;
      stream.finish();
    }
  }

  private static long parseLength(CharSequence value) {
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String errorName(long code) {
    Http2Error error = Http2Error.valueOf(code);
    return error != null ? error.name() : "error " + code;
  }

  /** An HTTP/2 stream that ended without a response: reset, refused, or cut off by a GOAWAY. */
  static final class StreamException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean notProcessed;

    StreamException(String message, boolean notProcessed) {
      super(message);
      this.notProcessed = notProcessed;
    }

    /**
     * Whether the server did not process the request (RST_STREAM with REFUSED_STREAM, or a GOAWAY
     * whose last stream is below it; RFC 9113 sections 8.7 and 6.8), so that it may be sent again
     * on a new connection, whatever its method.
     */
    boolean notProcessed() {
      return notProcessed;
    }
  }
}
