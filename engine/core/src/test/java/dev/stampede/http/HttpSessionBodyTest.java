package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Response bodies: compression negotiated and decoded as browsers and k6 do, and bodies longer than
 * the keep limit read to their end, counted and dropped (so a large download costs no memory).
 */
@Timeout(60)
class HttpSessionBodyTest {

  private static final String TEXT = "{\"greeting\":\"" + "hello ".repeat(500) + "\"}";

  private ScriptedServer server;
  private final RecordingSink sink = new RecordingSink();
  private HttpSession session;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
    session = HttpSession.builder().baseUrl(URI.create(server.url())).sink(sink).build();
  }

  @AfterEach
  void stop() throws IOException {
    session.close();
    server.close();
  }

  @Test
  void asksForGzipAndDeflateByDefault() {
    server.reply(ok("", "x"));

    session.get("/");

    assertThat(server.requests.get(0)).contains("\r\nAccept-Encoding: gzip, deflate\r\n");
  }

  @Test
  void acceptEncodingCanBeChangedOrTurnedOff() throws IOException {
    session.close();
    session = HttpSession.builder().baseUrl(URI.create(server.url())).sink(sink).acceptEncoding(null).build();
    server.reply(ok("", "x")).reply(ok("", "x"));

    session.get("/");
    session.get("/", o -> o.header("Accept-Encoding", "identity"));

    assertThat(server.requests.get(0)).doesNotContainIgnoringCase("accept-encoding");
    assertThat(server.requests.get(1)).contains("\r\nAccept-Encoding: identity\r\n");
  }

  @Test
  void decodesAGzipBodyAndCountsTheBytesAsTheyArrived() throws IOException {
    byte[] gzip = gzip(TEXT.getBytes(StandardCharsets.UTF_8));
    server.reply(ok("Content-Encoding: gzip\r\n", latin1(gzip)));

    Response response = session.get("/");

    assertThat(response.text()).isEqualTo(TEXT);
    assertThat(response.json(java.util.Map.class).containsKey("greeting")).isTrue();
    assertThat(response.receivedBytes()).isEqualTo(gzip.length).isLessThan(TEXT.length());
    assertThat(sink.only().bytes()).isEqualTo(gzip.length);
  }

  @Test
  void decodesSeveralGzipMembersAndChunkedGzip() throws IOException {
    byte[] first = gzip("abc".getBytes(StandardCharsets.UTF_8));
    byte[] second = gzip("def".getBytes(StandardCharsets.UTF_8));
    String both = latin1(first) + latin1(second);
    server.reply(ok("Content-Encoding: gzip\r\n", both))
        .reply("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(first.length) + "\r\n" + latin1(first) + "\r\n0\r\n\r\n");

    assertThat(session.get("/").text()).isEqualTo("abcdef");
    assertThat(session.get("/").text()).isEqualTo("abc");
  }

  @Test
  void decodesDeflateWithAndWithoutTheZlibWrapper() throws IOException {
    byte[] zlib = deflate(TEXT.getBytes(StandardCharsets.UTF_8), false);
    byte[] raw = deflate(TEXT.getBytes(StandardCharsets.UTF_8), true);
    server.reply(ok("Content-Encoding: deflate\r\n", latin1(zlib)))
        .reply(ok("Content-Encoding: deflate\r\n", latin1(raw)));

    assertThat(session.get("/").text()).isEqualTo(TEXT);
    assertThat(session.get("/").text()).isEqualTo(TEXT);
  }

  @Test
  void anEncodingItCannotDecodeFailsTheReadWithAClearMessage() {
    server.reply(ok("Content-Encoding: br\r\n", "\u000b\u0001\u0080hello\u0003"));

    Response response = session.get("/");

    assertThat(response.ok()).isTrue();
    assertThatThrownBy(response::text).isInstanceOf(IllegalStateException.class)
        .hasMessage("the response body is in content encoding br, which the client does not decode (it decodes gzip and deflate)");
  }

  @Test
  void aCorruptGzipBodyFailsTheReadWithAClearMessage() {
    server.reply(ok("Content-Encoding: gzip\r\n", "not gzip at all"));

    assertThatThrownBy(() -> session.get("/").text()).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the response body is not valid gzip");
  }

  @Test
  void theDecodedBodyIsCappedByTheKeepLimit() throws IOException {
    byte[] bomb = gzip(new byte[1_000_000]); // about 1 KB that expands a thousandfold
    server.reply(ok("Content-Encoding: gzip\r\n", latin1(bomb)));

    Response response = session.get("/", o -> o.keepBody(100_000));

    assertThat(response.bodyKept()).isTrue();
    assertThatThrownBy(response::body).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("larger than the keep limit of 100000 bytes");
  }

  @Test
  void aBodyLongerThanTheKeepLimitIsCountedAndDroppedAndTheConnectionKept() {
    String big = "x".repeat(100_000);
    server.reply(ok("", big))
        .reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n"
            + big + "\r\n0\r\n\r\n")
        .reply(ok("", "small"));

    Response fixed = session.get("/fixed", o -> o.keepBody(1_000));
    Response chunked = session.get("/chunked", o -> o.keepBody(1_000));
    Response small = session.get("/small", o -> o.keepBody(1_000));

    assertThat(fixed.ok()).isTrue();
    assertThat(fixed.bodyKept()).isFalse();
    assertThat(fixed.receivedBytes()).isEqualTo(100_000);
    assertThatThrownBy(fixed::text).isInstanceOf(IllegalStateException.class)
        .hasMessage("the response body (100000 bytes) was not kept: it is larger than the keep limit of 1000 bytes"
            + " (RequestOptions.keepBody, --max-body)");
    assertThat(chunked.bodyKept()).isFalse();
    assertThat(chunked.receivedBytes()).isEqualTo(100_000);
    assertThat(small.text()).isEqualTo("small");
    assertThat(sink.records).extracting(RecordingSink.Record::bytes).containsExactly(100_000L, 100_000L, 5L);
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void aBodyUntilCloseLongerThanTheKeepLimitIsCounted() {
    server.replyAndClose("HTTP/1.1 200 OK\r\n\r\n" + "y".repeat(50_000));

    Response response = session.get("/", o -> o.keepBody(10));

    assertThat(response.bodyKept()).isFalse();
    assertThat(sink.only().bytes()).isEqualTo(50_000);
  }

  @Test
  void aBodyLongerThanTheDefaultLimitIsNotKept() {
    String eightMegabytes = "z".repeat(8 * 1024 * 1024);
    server.reply(ok("", eightMegabytes)).reply(ok("", "after"));

    Response large = session.get("/large");

    assertThat(large.bodyKept()).isFalse();
    assertThat(sink.records.get(0).bytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(session.get("/after").text()).isEqualTo("after");
  }

  @Test
  void discardBodyKeepsNothingButCountsEverything() {
    server.reply(ok("", "content")).reply(ok("", ""));

    Response discarded = session.get("/", o -> o.discardBody());
    Response empty = session.get("/", o -> o.discardBody());

    assertThat(discarded.receivedBytes()).isEqualTo(7);
    assertThat(discarded.bodyKept()).isFalse();
    assertThatThrownBy(discarded::text).hasMessageContaining("the request discards bodies");
    assertThat(empty.text()).isEmpty();
  }

  @Test
  void keepLimitsAreChecked() {
    assertThatThrownBy(() -> HttpSession.builder().maxBodyKept(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxBodyKept must be within 0..");
    server.reply(ok("", "x"));
    assertThatThrownBy(() -> session.get("/", o -> o.keepBody(-5))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keepBody must be within 0..");
  }

  private static String ok(String headers, String body) {
    return "HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + body.length() + "\r\n\r\n" + body;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      deflate.write(data);
    }
    return out.toByteArray();
  }
}
