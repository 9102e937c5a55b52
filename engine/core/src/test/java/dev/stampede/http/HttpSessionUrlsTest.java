package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Response;
import dev.stampede.engine.ResultSink;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * URLs, credentials, header values, redirects and message framing, each checked on what the
 * server received as well as on what the session reported.
 */
@Timeout(60)
class HttpSessionUrlsTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** What the session recorded, with the URL request hooks see. */
  record Recorded(String name, String url, int status, String failure) {}

  static final class UrlSink implements ResultSink {
    final List<Recorded> records = new CopyOnWriteArrayList<>();

    @Override
    public void record(String method, String name, long startEpochMicros, long startNanos, long endNanos, long bytes,
        int status, String failure) {
      records.add(new Recorded(name, null, status, failure));
    }

    @Override
    public void recordExchange(String method, String name, long startEpochMicros, long startNanos, long endNanos,
        long bytes, int status, String failure, String url, Response response) {
      records.add(new Recorded(name, url, status, failure));
    }
  }

  private ScriptedServer server;
  private final UrlSink sink = new UrlSink();
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

  private static String basic(String credentials) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))
        + "\r\n";
  }

  @Test
  void sendsBasicAuthForCredentialsInTheBaseUrlAndNeverRecordsThem() {
    server.reply(OK);
    try (HttpSession withCredentials = HttpSession.builder()
        .baseUrl(URI.create("http://alice:s%40cret@127.0.0.1:" + server.port())).sink(sink).build()) {

      Response response = withCredentials.get("/private");

      assertThat(response.ok()).isTrue();
      assertThat(server.requests.get(0)).startsWith("GET /private HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
          .contains(basic("alice:s@cret"));
      assertThat(sink.records).singleElement().satisfies(r -> {
        assertThat(r.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/private");
        assertThat(r.name()).isEqualTo("/private");
      });
    }
  }

  @Test
  void sendsBasicAuthForCredentialsInAnAbsoluteUrlAndNamesItWithoutThem() {
    server.reply(OK).reply(OK);

    session.get("http://bob:pw@127.0.0.1:" + server.port() + "/a?x=1");
    session.get("/b");

    assertThat(server.requests.get(0)).contains(basic("bob:pw"));
    assertThat(server.requests.get(1)).doesNotContain("Authorization");
    assertThat(sink.records.get(0).name()).isEqualTo("http://127.0.0.1:" + server.port() + "/a");
    assertThat(sink.records).allSatisfy(r -> assertThat(r.toString()).doesNotContain("pw"));
  }

  @Test
  void anAuthorizationHeaderOfTheRequestWinsOverTheUrlsCredentials() {
    server.reply(OK);

    session.get("http://bob:pw@127.0.0.1:" + server.port() + "/a", o -> o.header("Authorization", "Bearer t"));

    assertThat(server.requests.get(0)).contains("Authorization: Bearer t\r\n").doesNotContain("Basic");
  }

  @Test
  void keepsCredentialsOnARedirectWithinTheOriginAndDropsThemForAnother() throws IOException {
    try (ScriptedServer other = new ScriptedServer()) {
      other.reply(OK);
      server.reply("HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n")
          .reply("HTTP/1.1 302 Found\r\nLocation: " + other.url() + "/elsewhere\r\nContent-Length: 0\r\n\r\n");

      Response response = session.get("http://carol:pw@127.0.0.1:" + server.port() + "/start");

      assertThat(response.text()).isEqualTo("ok");
      assertThat(server.requests).hasSize(2).allSatisfy(r -> assertThat(r).contains(basic("carol:pw")));
      assertThat(other.requests).singleElement().satisfies(r -> assertThat(r)
          .startsWith("GET /elsewhere HTTP/1.1").doesNotContain("Authorization"));
    }
  }

  @Test
  void followsAQueryOnlyRedirectToTheSamePath() {
    server.reply("HTTP/1.1 302 Found\r\nLocation: ?page=2\r\nContent-Length: 0\r\n\r\n")
        .reply("HTTP/1.1 302 Found\r\nLocation: ../up/./there\r\nContent-Length: 0\r\n\r\n")
        .reply(OK);

    Response response = session.get("/shop/list");

    assertThat(response.ok()).isTrue();
    assertThat(server.requests).extracting(r -> r.substring(0, r.indexOf("\r\n")))
        .containsExactly("GET /shop/list HTTP/1.1", "GET /shop/list?page=2 HTTP/1.1", "GET /up/there HTTP/1.1");
  }

  @Test
  void percentEncodesNonAsciiInAbsoluteUrlsAndPathsAsUtf8() {
    server.reply(OK).reply(OK).reply(OK);

    session.get("http://127.0.0.1:" + server.port() + "/caf\u00e9?q=\u00fcber alles");
    session.get("/stra\u00dfe/\u20ac");
    session.get("/already%20encoded");

    assertThat(server.requests).extracting(r -> r.substring(0, r.indexOf("\r\n"))).containsExactly(
        "GET /caf%C3%A9?q=%C3%BCber%20alles HTTP/1.1", "GET /stra%C3%9Fe/%E2%82%AC HTTP/1.1",
        "GET /already%20encoded HTTP/1.1");
    assertThat(sink.records.get(0).url()).isEqualTo("http://127.0.0.1:" + server.port() + "/caf%C3%A9?q=%C3%BCber%20alles");
  }

  @Test
  void followsARedirectToANonAsciiLocation() {
    // The server sends the Location's UTF-8 bytes raw, as many do.
    server.reply("HTTP/1.1 301 Moved\r\nLocation: /m\u00c3\u00bcnchen\r\nContent-Length: 0\r\n\r\n").reply(OK);

    assertThat(session.get("/city").ok()).isTrue();
    assertThat(server.requests.get(1)).startsWith("GET /m%C3%BCnchen HTTP/1.1");
  }

  @Test
  void refusesNonAsciiAndControlCharactersInHeaderValuesNamingTheHeader() {
    assertThatThrownBy(() -> session.get("/", o -> o.header("X-Name", "Jos\u00e9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header value for X-Name must be ASCII without control characters (encode it, e.g. percent- or"
            + " Base64-encoding) but has U+00E9 at index 3");
    assertThatThrownBy(() -> session.get("/", o -> o.header("X-Bell", "a\u0007")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Bell").hasMessageContaining("U+0007");
    assertThatThrownBy(() -> HttpSession.builder().header("X-Default", "\u00fc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Default");
    assertThat(server.requests).isEmpty();
    assertThat(sink.records).isEmpty();
  }

  @Test
  void aTabInAHeaderValueIsAllowed() {
    server.reply(OK);

    session.get("/", o -> o.header("X-Tab", "a\tb"));

    assertThat(server.requests.get(0)).contains("X-Tab: a\tb\r\n");
  }

  @Test
  void refusesAControlCharacterInAUrlWithoutSendingIt() {
    assertThatThrownBy(() -> session.get("/a\nb")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path must not contain control characters but had U+000A at index 2");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void twoDifferentContentLengthsAreAMalformedResponse() {
    server.replyAndClose("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nok...");

    Response response = session.get("/");

    assertThat(response.ok()).isFalse();
    assertThat(response.failure()).isEqualTo("malformed response (127.0.0.1:" + server.port()
        + "): different Content-Length values: 2 and 5");
    assertThat(session.openConnections()).isZero();
  }

  @Test
  void repeatedIdenticalContentLengthsAreAccepted() {
    server.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
        .reply("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nyes");

    assertThat(session.get("/a").text()).isEqualTo("ok");
    assertThat(session.get("/b").text()).isEqualTo("yes");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void chunkedWinsOverContentLengthAndTheConnectionIsNotReused() {
    server.reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n").reply(OK);

    Response first = session.get("/a");
    Response second = session.get("/b");

    assertThat(first.text()).isEqualTo("hello");
    assertThat(second.text()).isEqualTo("ok");
    assertThat(server.connections.get()).isEqualTo(2);
  }

  @Test
  void aCookieExpiredWithADashedDateIsRemoved() {
    server.reply("HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; Path=/\r\nContent-Length: 0\r\n\r\n")
        .reply("HTTP/1.1 200 OK\r\nSet-Cookie: sid=deleted; Path=/; Expires=Thu, 01-Jan-1970 00:00:01 GMT\r\n"
            + "Content-Length: 0\r\n\r\n")
        .reply(OK);

    session.get("/login");
    session.get("/logout");
    session.get("/after");

    assertThat(server.requests.get(1)).contains("Cookie: sid=1\r\n");
    assertThat(server.requests.get(2)).doesNotContain("Cookie");
  }
}
