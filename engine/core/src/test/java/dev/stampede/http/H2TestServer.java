package dev.stampede.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c server (prior knowledge) on loopback, made with Netty's HTTP/2 server codec, for the wire
 * cases nginx does not produce on demand. Paths:
 * <ul>
 *   <li>{@code /hold}: answered only once {@link #holdUntil} such streams of one connection are in
 *       flight at the same time (so the requests must be concurrent streams, or they time out);
 *   <li>{@code /refuse-once}: the first is reset with {@code REFUSED_STREAM}, later ones answered;
 *   <li>{@code /goaway-once}: the first gets a {@code GOAWAY} whose last stream is below it, then
 *       the connection is closed; later ones are answered;
 *   <li>{@code /reset}: reset with {@code INTERNAL_ERROR};
 *   <li>{@code /never}: never answered;
 *   <li>{@code /stall-body}: the response head, then nothing;
 *   <li>{@code /late}: answered only after the client reset the stream ({@link #lateAnswers}), with
 *       raw frames, as a server does whose response was on its way when the reset came;
 *   <li>{@code /die}: the connection closed without a response or a {@code GOAWAY};
 *   <li>anything else: {@code 200} with the body {@code METHOD PATH BODY-LENGTH}.
 * </ul>
 * Every {@code RST_STREAM} received is in {@link #resets} as {@code STREAM-ID ERROR}; the test says when
 * idle connections get a {@code GOAWAY} ({@link #goawayOnEveryConnection}) or are closed
 * ({@link #closeEveryConnection}).
 */
final class H2TestServer implements AutoCloseable {

  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> resets = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger lateAnswers = new AtomicInteger();
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();
  final AtomicInteger mostHeld = new AtomicInteger();
  volatile int holdUntil = 3;
  private final Set<String> once = ConcurrentHashMap.newKeySet();
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;

  private final boolean https;

  /** An h2c server. */
  H2TestServer() throws InterruptedException {
    this(null);
  }

  /** An h2 server over TLS with {@code tls} (whose ALPN must offer {@code h2}), or h2c when it is {@code null}. */
  H2TestServer(SslContext tls) throws InterruptedException {
    this.https = tls != null;
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            connections.incrementAndGet();
            Handler handler = new Handler();
            handlers.add(handler);
            if (tls != null) {
              channel.pipeline().addLast(tls.newHandler(channel.alloc()));
            }
            // decoupleCloseAndGoAway: a close is a close, with no GOAWAY of the codec's before it.
            channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().decoupleCloseAndGoAway(true).build(), handler);
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  String url() {
 return (https ? "https" : "http") + "://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Sends a {@code GOAWAY} (NO_ERROR) on every open connection, naming the last stream it received
   * as the last one processed, and leaves the connections open; returns once it is written.
   */
  void goawayOnEveryConnection() {
    for (Handler handler : handlers) {
      ChannelHandlerContext ctx = handler.context;
      if (ctx != null && ctx.channel().isActive()) {
        ctx.writeAndFlush(goaway(handler.lastStreamId)).syncUninterruptibly();
      }
    }
  }

  /** Closes every open connection without a {@code GOAWAY}; returns once they are closed. */
  void closeEveryConnection() {
    for (Handler handler : handlers) {
      ChannelHandlerContext ctx = handler.context;
      if (ctx != null) {
        ctx.close().syncUninterruptibly();
      }
    }
  }

  /** A raw GOAWAY frame: the codec's own would name the streams it knows as processed. */
  private static ByteBuf goaway(int lastStreamId) {
    ByteBuf frame = Unpooled.buffer(17);
    frame.writeMedium(8).writeByte(0x7).writeByte(0).writeInt(0);
    frame.writeInt(lastStreamId).writeInt((int) Http2Error.NO_ERROR.code());
    return frame;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends ChannelDuplexHandler {
    private final Map<Http2FrameStream, String> requestOf = new HashMap<>();
    private final Map<Http2FrameStream, Integer> bodyOf = new HashMap<>();
    private final List<Http2FrameStream> held = new ArrayList<>();
    private volatile ChannelHandlerContext context;
    private volatile int lastStreamId;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame headers) {
          String request = headers.headers().method() + " " + headers.headers().path();
          requests.add(request);
          lastStreamId = Math.max(lastStreamId, headers.stream().id());
          requestOf.put(headers.stream(), request);
          bodyOf.put(headers.stream(), 0);
          if (headers.isEndStream()) {
            handle(ctx, headers.stream());
          }
        } else if (msg instanceof Http2ResetFrame reset) {
          resets.add(reset.stream().id() + " " + Http2Error.valueOf(reset.errorCode()));
          String request = requestOf.remove(reset.stream());
          if (request != null && request.endsWith(" /late")) {
            // HEADERS (:status 200 as static table entry 8, END_HEADERS) and DATA "late" (END_STREAM).
            int id = reset.stream().id();
            ByteBuf frames = Unpooled.buffer(24);
            frames.writeMedium(1).writeByte(0x1).writeByte(0x4).writeInt(id).writeByte(0x88);
            frames.writeMedium(4).writeByte(0x0).writeByte(0x1).writeInt(id).writeBytes("late".getBytes(StandardCharsets.US_ASCII));
            ctx.writeAndFlush(frames).addListener(f -> lateAnswers.incrementAndGet());
          }
        } else if (msg instanceof Http2DataFrame data) {
          bodyOf.merge(data.stream(), data.content().readableBytes(), Integer::sum);
          if (data.isEndStream()) {
            handle(ctx, data.stream());
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void handle(ChannelHandlerContext ctx, Http2FrameStream stream) {
      String request = requestOf.get(stream);
      String path = request.substring(request.indexOf(' ') + 1);
      switch (path) {
        case "/hold" -> {
          held.add(stream);
          mostHeld.accumulateAndGet(held.size(), Math::max);
          if (held.size() >= holdUntil) {
            held.forEach(s -> respond(ctx, s));
            held.clear();
          }
        }
        case "/refuse-once" -> {
          if (once.add(path)) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
          } else {
            respond(ctx, stream);
          }
        }
        case "/goaway-once" -> {
          if (once.add(path)) {
            ctx.writeAndFlush(goaway(stream.id() - 2)).addListener(f -> ctx.close());
          } else {
            respond(ctx, stream);
          }
        }
        case "/reset" -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR).stream(stream));
        case "/never", "/late" -> {
          // not answered (for /late: until the client resets the stream)
        }
        case "/stall-body" -> ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"))
            .stream(stream));
        case "/die" -> ctx.close();
        default -> respond(ctx, stream);
      }
    }

    private void respond(ChannelHandlerContext ctx, Http2FrameStream stream) {
      byte[] body = (requestOf.remove(stream) + " " + bodyOf.remove(stream)).getBytes(StandardCharsets.US_ASCII);
      ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
          .add("content-type", "text/plain").add("set-cookie", "seen=yes; Path=/")).stream(stream));
      ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true).stream(stream));
    }
  }
}
