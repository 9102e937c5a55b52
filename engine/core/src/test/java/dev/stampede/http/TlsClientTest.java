package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.Tls;
import dev.stampede.config.ConfigException;
import dev.stampede.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad TLS files fail with one line that names the file and never a secret. */
class TlsClientTest {

  @TempDir
  static Path dir;

  static TestPki pki;

  @BeforeAll
  static void makePki() throws Exception {
    pki = TestPki.create(dir);
  }

  @Test
  void namesAMissingCaFile() {
    assertThatThrownBy(() -> TlsClient.of(Tls.builder().caFile(dir.resolve("missing.pem")).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--ca-file " + dir.resolve("missing.pem") + " does not exist");
  }

  @Test
  void refusesACaFileWithoutCertificates() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");

    assertThatThrownBy(() -> TlsClient.of(Tls.builder().caFile(notPem).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--ca-file " + notPem + " ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void neverQuotesTheKeyFileWhenItIsNotPkcs8() throws Exception {
    String key = Files.readString(pki.clientKey);
    String body = key.substring(key.indexOf('\n') + 1, key.indexOf("-----END"));
    Path sec1 = Files.writeString(dir.resolve("sec1.key"),
        "-----BEGIN EC PRIVATE KEY-----\n" + body + "-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(() -> TlsClient.of(Tls.builder().clientCertificate(pki.clientPem, sec1).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PKCS#1/SEC1")
        .hasMessageNotContaining(body.lines().findFirst().orElseThrow())
        .hasMessageNotContaining("\n");
  }

  @Test
  void refusesAKeyOfAnotherCertificate() {
    assertThatThrownBy(() -> TlsClient.of(Tls.builder().clientCertificate(pki.clientPem, pki.serverKey).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--key " + pki.serverKey + " does not belong to --cert " + pki.clientPem);
  }

  @Test
  void neverShowsThePkcs12PasswordWhenItIsWrong() {
    String wrong = "wrong-Password-0815";

    assertThatThrownBy(() -> TlsClient.of(Tls.builder().pkcs12(pki.clientP12, wrong.toCharArray()).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--cert " + pki.clientP12 + " cannot be opened as PKCS#12 (wrong password, or not a PKCS#12 file)");
  }

  @Test
  void keepsThePasswordOutOfTheSettingsText() {
    Tls tls = Tls.builder().pkcs12(pki.clientP12, TestPki.PKCS12_PASSWORD.toCharArray()).build();

    assertThat(tls.toString()).contains("client.p12").doesNotContain(TestPki.PKCS12_PASSWORD);
  }

  @Test
  void sharesOneContextBetweenEqualSettings() {
    Tls first = Tls.builder().caFile(pki.caPem).build();
    Tls second = Tls.builder().caFile(pki.caPem).build();

    assertThat(TlsClient.of(first)).isSameAs(TlsClient.of(second));
  }
}
