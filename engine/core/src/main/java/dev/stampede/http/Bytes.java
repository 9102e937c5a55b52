package dev.stampede.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte searches for the response parser, eight bytes per step. */
final class Bytes {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Bytes() {}

  /**
   * The index of the first {@code target} in {@code bytes[from, to)}, or {@code to} when there is
   * none. A response head is scanned for line ends several times per response; byte by byte that
   * was the client's largest cost per request after the kernel's (BENCHMARKS.md, sixth round). Each
   * step XORs eight bytes with the target, so matching bytes become zero, and finds the lowest zero
   * byte with the classic test {@code (x - 0x01..) & ~x & 0x80..}: exact for the lowest zero byte,
   * which in little-endian order is the first one.
   */
  static int find(byte[] bytes, int from, int to, byte target) {
    long pattern = ONES * (target & 0xff);
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i) ^ pattern;
      long zeros = (word - ONES) & ~word & HIGH_BITS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == target) {
        return i;
      }
    }
    return to;
  }
}
