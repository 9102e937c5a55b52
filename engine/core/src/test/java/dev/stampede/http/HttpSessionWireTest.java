package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.Response;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HttpSession against byte-exact scripted responses. */
@Timeout(60) // a parsing bug shows up as a hang; fail it instead
class HttpSessionWireTest {

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
  void readsBodyUntilCloseWhenThereIsNoLength() {
    server.replyAndClose("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");

    Response response = session.get("/");

    assertThat(response.text()).isEqualTo("all of it");
    assertThat(sink.only().bytes()).isEqualTo(9);
    assertThat(session.openConnections()).isZero();
  }

  @Test
  void readsBodiesLargerThanTheReadBuffer() {
    String big = "x".repeat(20_000);
    server.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length())
        + "\r\n" + big + "\r\n0\r\n\r\n")
        .replyAndClose("HTTP/1.1 200 OK\r\n\r\n" + big);

    assertThat(session.get("/chunked").text()).isEqualTo(big);
    assertThat(session.get("/until-close").text()).isEqualTo(big);
  }

  @Test
  void headResponseHasNoBodyWhateverItsContentLength() {
    server.reply("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

    Response head = session.head("/");
    Response get = session.get("/");

    assertThat(head.body()).isEmpty();
    assertThat(get.text()).isEqualTo("hello");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void noContentAndNotModifiedHaveNoBody() {
    server.reply("HTTP/1.1 204 No Content\r\n\r\n")
        .reply("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n")
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    assertThat(session.delete("/a").status()).isEqualTo(204);
    assertThat(session.get("/b").status()).isEqualTo(304);
    assertThat(session.get("/c").text()).isEqualTo("ok");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void skipsInterimContinueResponse() {
    server.reply("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nid");

    Response response = session.post("/items", o -> o.body("{}", "application/json"));

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.text()).isEqualTo("id");
  }

  @Test
  void readsChunkedBodyWithExtensionsAndTrailers() {
    server.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    assertThat(session.get("/").text()).isEqualTo("hello, world");
    assertThat(session.get("/").ok()).isTrue();
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void retriesOnceOnANewConnectionWhenTheServerClosedTheIdleOne() {
    server.replyAndClose("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na")
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");

    assertThat(session.get("/").text()).isEqualTo("a");
    Response second = session.get("/");

    assertThat(second.ok()).isTrue();
    assertThat(second.text()).isEqualTo("b");
    assertThat(server.connections.get()).isEqualTo(2);
    assertThat(sink.records).hasSize(2).allMatch(r -> r.failure() == null);
  }

  @Test
  void honoursConnectionClose() {
    server.reply("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na")
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");

    session.get("/");

    assertThat(session.openConnections()).isZero();
    assertThat(session.get("/").text()).isEqualTo("b");
  }

  @Test
  void http10ResponseWithoutKeepAliveClosesTheConnection() {
    server.reply("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na");

    assertThat(session.get("/").text()).isEqualTo("a");
    assertThat(session.openConnections()).isZero();
  }

  @Test
  void statusWithoutReasonPhraseGetsTheStandardOne() {
    server.reply("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n");

    assertThat(session.get("/").failure()).isEqualTo("HTTP 503 Service Unavailable");
  }

  @Test
  void connectionClosedInsideTheBodyIsAFailure() {
    server.replyAndClose("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");

    Response response = session.get("/");

    assertThat(response.status()).isZero();
    assertThat(response.failure()).startsWith("connection closed after 3 of 10 body bytes");
  }

  @Test
  void garbageInsteadOfHttpIsAMalformedResponse() {
    server.replyAndClose("SSH-2.0-OpenSSH_9.6\r\n\r\n");

    assertThat(session.get("/").failure()).startsWith("malformed response (127.0.0.1:" + server.port()
        + "): bad status line: SSH-2.0");
  }

  @Test
  void sendsHostUserAgentAndContentLengthHeaders() {
    server.reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    session.post("/submit?x=1", o -> o.body("abc", "text/plain"));

    assertThat(server.requests.get(0)).startsWith("POST /submit?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
        .contains("User-Agent: Stampede\r\n", "Content-Type: text/plain\r\n", "Content-Length: 3\r\n");
  }

  @Test
  void parsesAResponseHeadThatArrivesInPieces() {
    server.replyInPieces("HTTP/1.1 200 OK\r\nX-Spaced:  two words \t\r\nCONNECTION: Keep-Alive, Close\r\n"
        + "Content-Length: 5\r\n\r\nhello", 3);

    Response response = session.get("/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("hello");
    assertThat(response.header("x-spaced")).isEqualTo("two words");
    assertThat(response.headers()).containsOnlyKeys("x-spaced", "connection", "content-length");
    assertThat(session.openConnections()).as("Connection: close among other tokens").isZero();
  }

  @Test
  void acceptsBareLineFeedsAndUpperCaseChunked() {
    server.reply("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")
        .reply("HTTP/1.1 201 Created\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nid\r\n0\r\n\r\n");

    assertThat(session.get("/a").text()).isEqualTo("ok");
    assertThat(session.get("/b").text()).isEqualTo("id");
    assertThat(server.connections.get()).as("both on one keep-alive connection").isEqualTo(1);
  }

  @Test
  void readsAResponseHeadLargerThanTheReadBuffer() {
    String cookie = "c".repeat(10_000);
    server.replyInPieces("HTTP/1.1 200 OK\r\nSet-Cookie: big=" + cookie + "\r\nContent-Length: 2\r\n\r\nok", 1_500)
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes");

    Response first = session.get("/");
    Response second = session.get("/again");

    assertThat(first.text()).isEqualTo("ok");
    assertThat(first.header("Set-Cookie")).isEqualTo("big=" + cookie);
    assertThat(second.text()).isEqualTo("yes");
    assertThat(server.requests.get(1)).contains("Cookie: big=" + cookie);
  }

  @Test
  void refusesAnEndlessResponseHead() {
    server.replyAndClose("HTTP/1.1 200 OK\r\nX-Long: " + "x".repeat(Connection.MAX_HEAD) + "\r\n\r\n");

    assertThat(session.get("/").failure()).contains("response head longer than " + Connection.MAX_HEAD + " bytes");
  }

  @Test
  void aBadContentLengthIsAMalformedResponse() {
    server.replyAndClose("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\nhello");

    assertThat(session.get("/").failure()).contains("bad Content-Length: 12abc");
  }
}
