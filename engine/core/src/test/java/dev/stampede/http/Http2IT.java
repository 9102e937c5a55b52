package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.Response;
import dev.stampede.Tls;
import dev.stampede.testkit.Nginx;
import dev.stampede.testkit.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 against Debian's nginx ({@code http2} on, TLS with a CA and certificates made at test
 * time): ALPN's choice, forcing either version, h2c with prior knowledge, the TLS options over h2,
 * and the session's behaviour (keep-alive, cookies, redirects, decoding, bodies) the same as over
 * HTTP/1.1. Plain platform threads here; {@link Http2OnCarrierLoopIT} runs every test again on a
 * carrier loop.
 */
@Timeout(60)
class Http2IT {

  @TempDir
  static Path dir;

  static TestPki pki;
  static Nginx nginx;
  /** TLS with h2 and HTTP/1.1. */
  static int h2;
  /** TLS with HTTP/1.1 only. */
  static int http11;
  /** TLS with h2, an untrusted certificate. */
  static int untrusted;
  /** TLS with h2 and a client certificate required. */
  static int mutual;
  /** Plain HTTP/2 with prior knowledge (h2c). */
  static int h2c;

  @BeforeAll
  static void startNginx() throws Exception {
    pki = TestPki.create(dir);
    Files.createDirectories(dir.resolve("slow"));
    // 2 KB at 1 KB/s: each response takes about a second, so streams in flight together overlap.
    Files.writeString(dir.resolve("slow/file.txt"), "s".repeat(2048));
    // nginx's worker runs as nobody: the temporary directory must let it read the file.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("slow"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("slow/file.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    h2 = Nginx.freePort();
    http11 = Nginx.freePort();
    untrusted = Nginx.freePort();
    mutual = Nginx.freePort();
    h2c = Nginx.freePort();
    String locations = """
          default_type text/plain;
          location / { return 200 "$server_protocol"; }
          location /redirect { add_header Set-Cookie "flavour=h2; Path=/"; return 302 /landing?from=redirect; }
          location /landing { return 200 "$server_protocol $args cookie=$cookie_flavour"; }
          location /length { return 200 "$request_method $content_length"; }
          location /large { gzip on; gzip_min_length 1; gzip_types text/plain; return 200 "%1$s"; }
          location /missing { return 404; }
          location /slow/ { alias %2$s/; limit_rate 1024; }
        """.formatted("0123456789".repeat(300), dir.resolve("slow"));
    String servers = """
        server {
          listen 127.0.0.1:%1$d ssl http2;
          ssl_certificate %6$s;
          ssl_certificate_key %7$s;
        %11$s
        }
        server {
          listen 127.0.0.1:%2$d ssl;
          ssl_certificate %6$s;
          ssl_certificate_key %7$s;
        %11$s
        }
        server {
          listen 127.0.0.1:%3$d ssl http2;
          ssl_certificate %8$s;
          ssl_certificate_key %9$s;
        %11$s
        }
        server {
          listen 127.0.0.1:%4$d ssl http2;
          ssl_certificate %6$s;
          ssl_certificate_key %7$s;
          ssl_verify_client on;
          ssl_client_certificate %10$s;
          location / { return 200 "$server_protocol $ssl_client_s_dn"; }
        }
        server {
          listen 127.0.0.1:%5$d http2;
        %11$s
        }
        """.formatted(h2, http11, untrusted, mutual, h2c, pki.serverPem, pki.serverKey, pki.untrustedPem,
        pki.untrustedKey, pki.clientCaPem, locations);
    nginx = Nginx.start(dir.resolve("nginx"), servers, List.of(h2, http11, untrusted, mutual, h2c));
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  final RecordingSink sink = new RecordingSink();
  final Tls trusting = Tls.builder().caFile(pki.caPem).build();

  HttpSession session(Tls tls, HttpVersion version, String base) {
    return HttpSession.builder().sink(sink).tls(tls).httpVersion(version).baseUrl(URI.create(base)).build();
  }

  Response get(Tls tls, HttpVersion version, String url) {
    try (HttpSession session = HttpSession.builder().sink(sink).tls(tls).httpVersion(version).build()) {
      return session.get(url);
    }
  }

  @Test
  void speaksHttp2WhenTheServerOffersItByAlpn() {
    Response response = get(trusting, HttpVersion.AUTO, "https://localhost:" + h2 + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("HTTP/2.0");
    assertThat(sink.only().status()).isEqualTo(200);
    assertThat(sink.only().bytes()).isEqualTo("HTTP/2.0".length());
    assertThat(sink.only().endNanos()).isGreaterThan(sink.only().startNanos());
  }

  @Test
  void speaksHttp11WhenTheServerDoesNotOfferHttp2() {
    Response response = get(trusting, HttpVersion.AUTO, "https://localhost:" + http11 + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("HTTP/1.1");
  }

  @Test
  void aForcedHttp11RunNeverSpeaksHttp2() throws Exception {
    String path = "/forced-" + getClass().getSimpleName();
    try (HttpSession session = session(trusting, HttpVersion.HTTP_1_1, "https://localhost:" + h2)) {
      for (int i = 0; i < 3; i++) {
        assertThat(session.get(path).text()).isEqualTo("HTTP/1.1");
      }
    }
    assertThat(logLines(" " + path + " ", 3)).allSatisfy(line -> assertThat(line).contains(" HTTP/1.1 "));
  }

  @Test
  void aForcedHttp2FailsInOneLineWhereTheServerDoesNotSpeakIt() {
    Response response = get(trusting, HttpVersion.HTTP_2, "https://localhost:" + http11 + "/");

    assertThat(response.ok()).isFalse();
    // OpenSSL (nginx) refuses the handshake when no offered protocol is its own (RFC 7301 section 3.2).
    // The wording is the engine's (BoringSSL's by default, the JDK's with -Dstampede.tls.engine=jdk).
    assertThat(response.failure()).startsWith("TLS failed (localhost:" + http11 + "): ")
        .containsIgnoringCase("fatal alert: no_application_protocol").doesNotContain("\n");
  }

  @Test
  void speaksH2cWithPriorKnowledgeWhenAsked() {
    Response response = get(Tls.defaults(), HttpVersion.HTTP_2, "http://127.0.0.1:" + h2c + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("HTTP/2.0");
  }

  @Test
  void carriesTheUsersRequestsOnOneConnection() throws Exception {
    String path = "/keep-" + getClass().getSimpleName();
    try (HttpSession session = session(trusting, HttpVersion.AUTO, "https://localhost:" + h2)) {
      for (int i = 0; i < 3; i++) {
        assertThat(session.get(path).failure()).isNull();
      }
      assertThat(session.openConnections()).isEqualTo(1);
    }
    List<String> lines = logLines(" " + path + " ", 3);
    assertThat(lines).extracting(line -> line.split(" ")[0]).containsOnly(lines.get(0).split(" ")[0]);
    assertThat(lines).extracting(line -> line.split(" ")[1]).containsExactly("1", "2", "3");
    assertThat(lines).allSatisfy(line -> assertThat(line).contains(" HTTP/2.0 "));
    assertThat(sink.records).hasSize(3).allSatisfy(r -> assertThat(r.failure()).isNull());
  }

  @Test
  void runsTheStreamsOfABatchConcurrentlyOnOneConnection() throws Exception {
    String path = "/slow/file.txt?" + getClass().getSimpleName();
    try (HttpSession session = session(trusting, HttpVersion.AUTO, "https://localhost:" + h2)) {
      List<Response> responses = session.batch(List.of(path, path, path));

      assertThat(responses).allSatisfy(response -> {
        assertThat(response.failure()).isNull();
        assertThat(response.text()).hasSize(2048);
      });
      assertThat(session.openConnections()).isEqualTo(1);
    }
    // nginx logs each request's end ($msec) and duration ($request_time): on one connection, every
    // request started before the others ended, so all three were in flight at once.
    List<String> lines = logLines(" /slow/file.txt ", 3);
    assertThat(lines).extracting(line -> line.split(" ")[0]).containsOnly(lines.get(0).split(" ")[0]);
    double[] starts = new double[3];
    double[] ends = new double[3];
    for (int i = 0; i < 3; i++) {
      String[] fields = lines.get(i).split(" ");
      ends[i] = Double.parseDouble(fields[6]);
      starts[i] = ends[i] - Double.parseDouble(fields[5]);
    }
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(starts[i]).as("request %d started before request %d ended: %s", i, j, lines).isLessThan(ends[j]);
      }
    }
    assertThat(sink.records).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void followsRedirectsAndKeepsCookiesAsOverHttp11() {
    try (HttpSession session = session(trusting, HttpVersion.AUTO, "https://localhost:" + h2)) {
      Response response = session.get("/redirect");

      assertThat(response.failure()).isNull();
      assertThat(response.text()).isEqualTo("HTTP/2.0 from=redirect cookie=h2");
      assertThat(session.cookie("/", "flavour")).isEqualTo("h2");
    }
    assertThat(sink.only().name()).isEqualTo("/redirect");
  }

  @Test
  void decodesGzipBodiesAndCountsTheirBytesAsTheyArrived() {
    Response response = get(trusting, HttpVersion.AUTO, "https://localhost:" + h2 + "/large");

    assertThat(response.failure()).isNull();
    assertThat(response.header("content-encoding")).isEqualTo("gzip");
    assertThat(response.text()).isEqualTo("0123456789".repeat(300));
    assertThat(sink.only().bytes()).isGreaterThan(0).isLessThan(3_000);
  }

  @Test
  void sendsRequestBodies() {
    try (HttpSession session = session(trusting, HttpVersion.AUTO, "https://localhost:" + h2)) {
      Response response = session.post("/length", request -> request.body("x".repeat(100_000), "text/plain"));

      assertThat(response.failure()).isNull();
      assertThat(response.text()).isEqualTo("POST 100000");
    }
  }

  @Test
  void recordsAnErrorStatusAsAFailure() {
    Response response = get(trusting, HttpVersion.AUTO, "https://localhost:" + h2 + "/missing");

    assertThat(response.failure()).isEqualTo("HTTP 404 Not Found");
    assertThat(sink.only().status()).isEqualTo(404);
  }

  @Test
  void failsWithOneLineTlsReasonForAnUntrustedCertificate() {
    Response response = get(trusting, HttpVersion.AUTO, "https://127.0.0.1:" + untrusted + "/");

    assertThat(response.failure()).startsWith("TLS failed (127.0.0.1:" + untrusted + "): ").doesNotContain("\n");
  }

  @Test
  void insecurePassesAnUntrustedCertificateOverHttp2() {
    Response response = get(Tls.builder().insecure(true).build(), HttpVersion.AUTO,
        "https://127.0.0.1:" + untrusted + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("HTTP/2.0");
  }

  @Test
  void presentsAClientCertificateOverHttp2() {
    Response response = get(Tls.builder().caFile(pki.caPem).clientCertificate(pki.clientPem, pki.clientKey).build(),
        HttpVersion.AUTO, "https://localhost:" + mutual + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("HTTP/2.0 CN=stampede-client");
  }

  /** The access log's lines containing {@code part}, once there are {@code count}. */
  static List<String> logLines(String part, int count) {
    return await().atMost(Duration.ofSeconds(10)).until(
        () -> nginx.accessLog().stream().filter(line -> line.contains(part)).toList(), lines -> lines.size() >= count);
  }
}
