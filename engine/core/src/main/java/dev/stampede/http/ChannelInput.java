package dev.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The input of a connected {@link SocketChannel} in blocking mode (a user off the carrier loops),
 * whose reads can be bounded without closing the channel: {@link #readUntil} makes a read wait at
 * most until a deadline, {@link #pendingOnly} makes it take only what has already arrived. Either
 * way a read that would wait longer throws a {@link SocketTimeoutException} and the connection
 * stays usable. An HTTP/2 connection needs both, to give up one stream at its deadline while the
 * others go on, and to look at an idle connection before reusing it; HTTP/1.1 never bounds its
 * reads (the {@link Watchdog} closes a late connection instead).
 *
 * <p>A bounded wait is the socket adaptor's {@code SO_TIMEOUT}, a timed park on a virtual thread,
 * which the watchdog avoids for HTTP/1.1 (see there); a channel in blocking mode has no other way
 * to stop a waiting read and keep the connection. On a carrier loop
 * {@link dev.stampede.carrier.PolledSocket#cutRead} does the same without a timed park.
 *
 * <p>Not thread-safe: the connection belongs to one user.
 */
final class ChannelInput extends InputStream {

  private final SocketChannel channel;
  /** The socket adaptor's stream: a blocking read that honours {@code SO_TIMEOUT}. */
  private final InputStream socketIn;
  /** When a waiting read gives up ({@link System#nanoTime}), or 0 for never. */
  private long deadlineNanos;
  private boolean pendingOnly;
  private int soTimeoutMillis;

  ChannelInput(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.socketIn = channel.socket().getInputStream();
  }

  /** The reads that follow wait at most until {@code deadlineNanos} ({@link System#nanoTime}); 0: no limit. */
  void readUntil(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    this.pendingOnly = false;
  }

  /** The reads that follow take only what has already arrived, until {@link #readUntil} is called. */
  void pendingOnly() {
    this.pendingOnly = true;
  }

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
    if (pendingOnly) {
      int n;
      channel.configureBlocking(false);
      try {
        n = channel.read(ByteBuffer.wrap(b, off, len));
      } finally {
        channel.configureBlocking(true);
      }
      if (n == 0) {
        throw new SocketTimeoutException("nothing has arrived");
      }
      return n;
    }
    int millis = 0;
    if (deadlineNanos != 0) {
      // Rounded up, so that the read gives up at or after the deadline, never before it.
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime() + 999_999);
      millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining));
    }
    if (millis != soTimeoutMillis) {
      channel.socket().setSoTimeout(millis);
      soTimeoutMillis = millis;
    }
    return socketIn.read(b, off, len);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
