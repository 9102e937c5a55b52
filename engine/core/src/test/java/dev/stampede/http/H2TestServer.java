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
 *   <li>anything else: {@code 200} with the body {@code METHOD PATH BODY-LENGTH}.
 * </ul>
 */
final class H2TestServer implements AutoCloseable {

  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger mostHeld = new AtomicInteger();
  volatile int holdUntil = 3;
  private final Set<String> once = ConcurrentHashMap.newKeySet();
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;

  H2TestServer() throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            connections.incrementAndGet();
            channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Handler());
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  String url() {
    return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame headers) {
          String request = headers.headers().method() + " " + headers.headers().path();
          requests.add(request);
          requestOf.put(headers.stream(), request);
          bodyOf.put(headers.stream(), 0);
          if (headers.isEndStream()) {
            handle(ctx, headers.stream());
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
            // A raw GOAWAY frame: the codec's own would name this stream as processed.
            ByteBuf frame = Unpooled.buffer(17);
            frame.writeMedium(8).writeByte(0x7).writeByte(0).writeInt(0);
            frame.writeInt(stream.id() - 2).writeInt((int) Http2Error.NO_ERROR.code());
            ctx.writeAndFlush(frame).addListener(f -> ctx.close());
          } else {
            respond(ctx, stream);
          }
        }
        case "/reset" -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR).stream(stream));
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
