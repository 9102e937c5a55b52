package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void findsTheFirstMatchAnywhereInTheRangeOrReturnsItsEnd() {
    byte[] bytes = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Bytes.find(bytes, 0, bytes.length, (byte) '\n')).isEqualTo(16);
    assertThat(Bytes.find(bytes, 17, bytes.length, (byte) '\n')).isEqualTo(27);
    assertThat(Bytes.find(bytes, 0, bytes.length, (byte) ':')).isEqualTo(23);
    assertThat(Bytes.find(bytes, 0, 16, (byte) '\n')).as("a match at the range's end is outside it").isEqualTo(16);
    assertThat(Bytes.find(bytes, 0, bytes.length, (byte) '#')).isEqualTo(bytes.length);
    assertThat(Bytes.find(bytes, 5, 5, (byte) 'H')).isEqualTo(5);
  }

  @Test
  void agreesWithAByteByByteScanOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(8);
    // Few distinct values (including ones that differ from the target only in the high bit, and
    // 0x00 and 0xff) so that matches, near misses and borrows across bytes all occur.
    byte[] alphabet = {'\n', (byte) ('\n' | 0x80), 0x0b, 0x09, 0x00, (byte) 0xff, 'a', (byte) 0x8a};
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(1, 40)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int from = random.nextInt(bytes.length + 1);
      int to = random.nextInt(from, bytes.length + 1);
      byte target = alphabet[random.nextInt(alphabet.length)];
      int expected = to;
      for (int i = from; i < to; i++) {
        if (bytes[i] == target) {
          expected = i;
          break;
        }
      }
      assertThat(Bytes.find(bytes, from, to, target)).as("round %d", round).isEqualTo(expected);
    }
  }
}
