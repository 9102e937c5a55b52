package dev.stampede.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a response body from its {@code Content-Encoding} (RFC 9110 section 8.4): {@code gzip}
 * (RFC 1952, several members allowed), {@code deflate} (RFC 1950 zlib; a raw RFC 1951 stream, which
 * some servers send instead, is accepted too) and {@code identity}, applied in the reverse order of
 * the header's list.
 *
 * <p>The decoded size is capped: a small compressed body can expand a thousandfold (a "zip bomb"),
 * and the cap is what keeps a load generator's memory bounded whatever the target sends.
 */
final class ContentDecoding {

  private ContentDecoding() {}

  /**
   * The decoded body.
   *
   * @param contentEncoding the {@code Content-Encoding} header, or {@code null}
   * @param body the body as it arrived
   * @param maxDecoded the largest decoded body accepted, in bytes
   * @throws IllegalStateException for an encoding that is not supported, a corrupt body, or a decoded
   *     body larger than {@code maxDecoded}
   */
  static byte[] decode(String contentEncoding, byte[] body, long maxDecoded) {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return body;
    }
    String[] codings = contentEncoding.split(",");
    byte[] result = body;
    for (int i = codings.length - 1; i >= 0; i--) {
      String coding = codings[i].trim().toLowerCase(Locale.ROOT);
      result = switch (coding) {
        case "", "identity" -> result;
        case "gzip", "x-gzip" -> gunzip(result, maxDecoded);
        case "deflate" -> inflate(result, maxDecoded);
        default -> throw new IllegalStateException("the response body is in content encoding " + coding
            + ", which the client does not decode (it decodes gzip and deflate)");
      };
    }
    return result;
  }

  private static byte[] gunzip(byte[] body, long maxDecoded) {
    Output out = new Output(body.length * 4L, maxDecoded);
    int offset = 0;
    do {
      offset = gunzipMember(body, offset, out);
      // Another member may follow (RFC 1952 2.2); trailing zero padding is tolerated, as gzip(1) does.
      while (offset < body.length && body[offset] == 0) {
        offset++;
      }
    } while (offset < body.length);
    return out.toByteArray();
  }

  /** Decodes the gzip member at {@code offset}; returns the offset just past it. */
  private static int gunzipMember(byte[] body, int offset, Output out) {
    int flags = gzipHeaderFlags(body, offset);
    int p = offset + 10;
    if ((flags & 4) != 0) { // FEXTRA
      requireBytes(body, p, 2);
      p += 2 + ((body[p] & 0xff) | (body[p + 1] & 0xff) << 8);
    }
    if ((flags & 8) != 0) { // FNAME
      p = afterZero(body, p);
    }
    if ((flags & 16) != 0) { // FCOMMENT
      p = afterZero(body, p);
    }
    if ((flags & 2) != 0) { // FHCRC
      p += 2;
    }
    requireBytes(body, p, 0);
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(body, p, body.length - p);
      out.inflate(inflater, "gzip");
      int end = body.length - inflater.getRemaining();
      requireBytes(body, end, 8); // CRC32 and ISIZE
      return end + 8;
    } finally {
      inflater.end();
    }
  }

  private static int gzipHeaderFlags(byte[] body, int offset) {
    if (body.length - offset < 10 || (body[offset] & 0xff) != 0x1f || (body[offset + 1] & 0xff) != 0x8b
        || body[offset + 2] != 8) {
      throw corrupt("gzip", "no gzip header");
    }
    return body[offset + 3] & 0xff;
  }

  private static int afterZero(byte[] body, int from) {
    for (int i = from; i < body.length; i++) {
      if (body[i] == 0) {
        return i + 1;
      }
    }
    throw corrupt("gzip", "truncated header");
  }

  private static void requireBytes(byte[] body, int from, int count) {
    if (from + count > body.length) {
      throw corrupt("gzip", "truncated");
    }
  }

  private static byte[] inflate(byte[] body, long maxDecoded) {
    // RFC 9110 says zlib; a raw deflate stream has no zlib header (its first byte's low nibble is
    // not 8 or the 16-bit header is not a multiple of 31).
    boolean zlib = body.length >= 2 && (body[0] & 0x0f) == 8 && (((body[0] & 0xff) << 8) | (body[1] & 0xff)) % 31 == 0;
    Inflater inflater = new Inflater(!zlib);
    try {
      inflater.setInput(body);
      Output out = new Output(body.length * 4L, maxDecoded);
      out.inflate(inflater, "deflate");
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }

  private static IllegalStateException corrupt(String coding, String why) {
    return new IllegalStateException("the response body is not valid " + coding + ": " + why);
  }

  /** A growing output array that refuses to grow past the cap. */
  private static final class Output {
    private byte[] bytes;
    private int size;
    private final long max;

    Output(long initial, long max) {
      this.bytes = new byte[(int) Math.max(64, Math.min(Math.min(initial, max), 1 << 20))];
      this.max = max;
    }

    void inflate(Inflater inflater, String coding) {
      try {
        while (!inflater.finished()) {
          if (size == bytes.length) {
            if (size >= max) {
              throw new IllegalStateException("the decoded response body is larger than the keep limit of " + max
                  + " bytes (RequestOptions.keepBody, --max-body)");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(64, (long) bytes.length * 2)));
          }
          int n = inflater.inflate(bytes, size, bytes.length - size);
          size += n;
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw corrupt(coding, "truncated");
          }
        }
      } catch (DataFormatException e) {
        throw corrupt(coding, e.getMessage() == null ? "bad data" : e.getMessage());
      }
    }

    byte[] toByteArray() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }
}
