package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.Response;
import dev.stampede.Tls;
import dev.stampede.testkit.Nginx;
import dev.stampede.testkit.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS against Debian's nginx with a CA and certificates made at test time: trust (the JDK's store,
 * a CA file, {@code insecure}), host names, client certificates, session resumption (HTTP/2
 * over TLS: {@link Http2IT}). The threads of
 * this class are plain platform threads (the {@link java.net.Socket} path, as with
 * {@code -Dstampede.scheduler=jdk}); {@link TlsOnCarrierLoopIT} runs every test again on a carrier loop.
 */
@Timeout(60)
class TlsIT {

  @TempDir
  static Path dir;

  static TestPki pki;
  static Nginx nginx;
  static int trusted;
  static int untrusted;
  static int mutual;

  @BeforeAll
  static void startNginx() throws Exception {
    pki = TestPki.create(dir);
    trusted = Nginx.freePort();
    untrusted = Nginx.freePort();
    mutual = Nginx.freePort();
    String servers = """
        server {
          listen 127.0.0.1:%1$d ssl;
          listen 127.0.0.2:%1$d ssl;
          ssl_certificate %4$s;
          ssl_certificate_key %5$s;
          location / { return 200 "secure"; }
        }
        server {
          listen 127.0.0.1:%2$d ssl;
          ssl_certificate %6$s;
          ssl_certificate_key %7$s;
          location / { return 200 "untrusted"; }
        }
        server {
          listen 127.0.0.1:%3$d ssl;
          ssl_certificate %4$s;
          ssl_certificate_key %5$s;
          ssl_verify_client on;
          ssl_client_certificate %8$s;
          location / { return 200 "hello $ssl_client_s_dn"; }
        }
        """.formatted(trusted, untrusted, mutual, pki.serverPem, pki.serverKey, pki.untrustedPem,
        pki.untrustedKey, pki.clientCaPem);
    nginx = Nginx.start(dir.resolve("nginx"), servers, List.of(trusted, untrusted, mutual));
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private final RecordingSink sink = new RecordingSink();

  private Response get(Tls tls, String url) {
    try (HttpSession session = HttpSession.builder().sink(sink).tls(tls).build()) {
      return session.get(url);
    }
  }

  @Test
  void trustsTheServerSignedByTheCaFile() {
    Response response = get(Tls.builder().caFile(pki.caPem).build(), "https://localhost:" + trusted + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("secure");
  }

  @Test
  void failsWithOneLineTlsReasonWhenTheCaIsNotTrusted() {
    Response response = get(Tls.defaults(), "https://localhost:" + trusted + "/");

    assertThat(response.ok()).isFalse();
    assertThat(response.failure()).startsWith("TLS failed (localhost:" + trusted + "): ")
        .contains("certification path").doesNotContain("\n");
  }

  @Test
  void failsForAnUntrustedCertificateEvenWithACaFile() {
    Response response = get(Tls.builder().caFile(pki.caPem).build(), "https://127.0.0.1:" + untrusted + "/");

    assertThat(response.failure()).startsWith("TLS failed (127.0.0.1:" + untrusted + "): ").doesNotContain("\n");
  }

  @Test
  void failsWhenTheHostNameIsNotTheCertificates() {
    Response response = get(Tls.builder().caFile(pki.caPem).build(), "https://127.0.0.2:" + trusted + "/");

    assertThat(response.failure()).startsWith("TLS failed (127.0.0.2:" + trusted + "): ")
        .contains("127.0.0.2").doesNotContain("\n");
  }

  @Test
  void insecurePassesAnUntrustedCertificate() {
    Response response = get(Tls.builder().insecure(true).build(), "https://127.0.0.1:" + untrusted + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("untrusted");
  }

  @Test
  void insecurePassesACertificateForAnotherHost() {
    Response response = get(Tls.builder().insecure(true).build(), "https://localhost:" + untrusted + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("untrusted");
  }

  @Test
  void presentsAPemClientCertificate() {
    Response response = get(Tls.builder().caFile(pki.caPem).clientCertificate(pki.clientPem, pki.clientKey).build(),
        "https://localhost:" + mutual + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("hello CN=stampede-client");
  }

  @Test
  void presentsAPkcs12ClientCertificate() {
    Tls tls = Tls.builder().caFile(pki.caPem).pkcs12(pki.clientP12, TestPki.PKCS12_PASSWORD.toCharArray()).build();

    Response response = get(tls, "https://localhost:" + mutual + "/");

    assertThat(response.failure()).isNull();
    assertThat(response.text()).isEqualTo("hello CN=stampede-client");
  }

  @Test
  void isRefusedWithoutAClientCertificateWhereOneIsRequired() {
    Response response = get(Tls.builder().caFile(pki.caPem).build(), "https://localhost:" + mutual + "/");

    assertThat(response.ok()).isFalse();
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.failure()).isEqualTo("HTTP 400 Bad Request");
  }

  @Test
  void resumesTheTlsSessionOnANewConnection() throws Exception {
    Tls tls = Tls.builder().caFile(pki.caPem).build();
    String url = "https://localhost:" + trusted + "/resume-" + getClass().getSimpleName();
    get(tls, url);
    get(tls, url); // a new session, so a new connection: the handshake resumes the first one's TLS session

    List<String> lines = logLines(" /resume-" + getClass().getSimpleName() + " ", 2);
    assertThat(lines.get(0).split(" ")[0]).isNotEqualTo(lines.get(1).split(" ")[0]);
    assertThat(lines.get(1)).endsWith(" r");
  }

  @Test
  void keepsTheConnectionForTheNextRequest() throws Exception {
    String path = "/keep-" + getClass().getSimpleName();
    try (HttpSession session = HttpSession.builder().sink(sink).tls(Tls.builder().caFile(pki.caPem).build())
        .baseUrl(URI.create("https://localhost:" + trusted)).build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(session.get(path).failure()).isNull();
      }
      assertThat(session.openConnections()).isEqualTo(1);
    }
    List<String> lines = logLines(" " + path + " ", 3);
    assertThat(lines).extracting(line -> line.split(" ")[0]).containsOnly(lines.get(0).split(" ")[0]).hasSize(3);
    assertThat(sink.records).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  /** The access log's lines containing {@code part}, once there are {@code count} (nginx logs after responding). */
  static List<String> logLines(String part, int count) {
    return await().atMost(Duration.ofSeconds(10)).until(
        () -> nginx.accessLog().stream().filter(line -> line.contains(part)).toList(), lines -> lines.size() >= count);
  }
}
