package dev.stampede.http;

import org.jctools.queues.MpmcArrayQueue;

/**
 * Buffers shared by all connections, lent for the time it takes to write one request or to read one
 * response.
 *
 * <p>Why: a user spends almost all of its life thinking between requests, and buffers per
 * connection kept 4.5 KB per idle user alive (a third of an idle user's heap at 10,000 users, see
 * BENCHMARKS.md). Lending one per request and per response keeps only as many buffers as there are
 * exchanges under way. The pool is bounded: beyond it a buffer is allocated and left to the
 * collector.
 */
final class LentBuffers {

  /** The size of a lent buffer: a typical request, or response head and small body, fits in one. */
  static final int SIZE = 4 * 1024;

  /** The most idle buffers kept (4 MB); enough for every exchange in flight at 1,000 users. */
  private static final int KEPT = 1024;

  private static final MpmcArrayQueue<byte[]> IDLE = new MpmcArrayQueue<>(KEPT);

  /**
   * The size of a large buffer, for reading through a body that is counted and not kept: as many
   * bytes per read as the socket has, instead of 4 KB at a time.
   */
  static final int LARGE_SIZE = 64 * 1024;

  /** The most idle large buffers kept (4 MB). */
  private static final int LARGE_KEPT = 64;

  private static final MpmcArrayQueue<byte[]> IDLE_LARGE = new MpmcArrayQueue<>(LARGE_KEPT);

  private LentBuffers() {}

  /** A buffer of {@link #SIZE} bytes, its content undefined. */
  static byte[] take() {
    byte[] buffer = IDLE.relaxedPoll();
    return buffer != null ? buffer : new byte[SIZE];
  }

  /** A buffer of {@link #LARGE_SIZE} bytes, its content undefined. */
  static byte[] takeLarge() {
    byte[] buffer = IDLE_LARGE.relaxedPoll();
    return buffer != null ? buffer : new byte[LARGE_SIZE];
  }

  /** Gives a buffer of {@link #takeLarge} back. */
  static void giveLarge(byte[] buffer) {
    IDLE_LARGE.relaxedOffer(buffer);
  }

  /** Gives a buffer back; one that grew beyond {@link #SIZE} is dropped. */
  static void give(byte[] buffer) {
    if (buffer.length == SIZE) {
      IDLE.relaxedOffer(buffer);
    }
  }
}
