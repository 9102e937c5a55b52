package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Task;
import dev.stampede.Tls;
import dev.stampede.User;
import dev.stampede.testkit.Nginx;
import dev.stampede.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stampede run}'s TLS options against nginx with test-time certificates. Runs that must
 * succeed have a long {@code --stop-timeout}: on a busy machine a cold JVM's first TLS request can
 * outlast a short run, and a request still in flight at stop would count as cancelled.
 */
@Timeout(120)
class TlsCommandIT {

  @TempDir
  static Path dir;

  static TestPki pki;
  static Nginx nginx;
  static int trusted;
  static int untrusted;
  static int mutual;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  @BeforeAll
  static void startNginx() throws Exception {
    pki = TestPki.create(dir);
    trusted = Nginx.freePort();
    untrusted = Nginx.freePort();
    mutual = Nginx.freePort();
    String servers = """
        server {
          listen 127.0.0.1:%1$d ssl;
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
          location / { return 200 "hello"; }
        }
        """.formatted(trusted, untrusted, mutual, pki.serverPem, pki.serverKey, pki.untrustedPem,
        pki.untrustedKey, pki.clientCaPem);
    nginx = Nginx.start(dir.resolve("nginx"), servers, List.of(trusted, untrusted, mutual));
    OwnTlsUser.caFile = pki.caPem;
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private int run(Map<String, String> environment, String... args) {
    CommandLine commandLine = Stampede.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(out, true));
    ((RunCommand) commandLine.getSubcommands().get("run").getCommand()).environment = environment;
    return commandLine.execute(args);
  }

  private JsonNode total(Path json) throws Exception {
    return new ObjectMapper().readTree(json.toFile()).get("total");
  }

  @Test
  void runsOverHttpsWithACaFile() throws Exception {
    Path json = dir.resolve("ca.json");

    int code = run(Map.of(), "run", "--url", "https://localhost:" + trusted + "/", "--ca-file", pki.caPem.toString(),
        "-u", "2", "-t", "1s", "--stop-timeout", "60s", "-q", "--json", json.toString(), "--fail-on-failures");

    assertThat(code).as(err.toString()).isZero();
    assertThat(total(json).get("count").asLong()).isPositive();
    assertThat(total(json).get("failures").asLong()).isZero();
  }

  @Test
  void insecureWarnsOnceAndPassesAnUntrustedCertificate() throws Exception {
    Path json = dir.resolve("insecure.json");

    int code = run(Map.of(), "run", "--url", "https://localhost:" + untrusted + "/", "--insecure", "-u", "1", "-t",
        "1s", "--stop-timeout", "60s", "-q", "--json", json.toString(), "--fail-on-failures");

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString().lines().filter(line -> line.contains("--insecure")))
        .containsExactly("stampede: warning: --insecure: HTTPS certificates and host names are not checked");
    assertThat(total(json).get("failures").asLong()).isZero();
  }

  @Test
  void presentsAPkcs12CertificateWithThePasswordFromTheEnvironment() throws Exception {
    Path json = dir.resolve("mtls.json");

    int code = run(Map.of("MY_P12_PASSWORD", TestPki.PKCS12_PASSWORD), "run", "--url",
        "https://localhost:" + mutual + "/", "--ca-file", pki.caPem.toString(), "--cert", pki.clientP12.toString(),
        "--cert-password-env", "MY_P12_PASSWORD", "-u", "1", "-t", "1s", "--stop-timeout", "60s", "-q", "--json", json.toString(),
        "--fail-on-failures");

    assertThat(code).as(err.toString()).isZero();
    assertThat(total(json).get("failures").asLong()).isZero();
  }

  @Test
  void aWrongPkcs12PasswordIsOneLineAndExitTwoWithoutThePassword() {
    String wrong = "not-The-Password-99";

    int code = run(Map.of(TlsOptions.DEFAULT_PASSWORD_VARIABLE, wrong), "run", "--url",
        "https://localhost:" + mutual + "/", "--cert", pki.clientP12.toString(), "-t", "1s");

    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines()).containsExactly("stampede: --cert " + pki.clientP12
        + " cannot be opened as PKCS#12 (wrong password, or not a PKCS#12 file)");
    assertThat(err.toString() + out).doesNotContain(wrong).doesNotContain(TestPki.PKCS12_PASSWORD);
  }

  @Test
  void aMissingCaFileIsOneLineAndExitTwo() {
    int code = run(Map.of(), "run", "--url", "https://localhost:" + trusted + "/", "--ca-file",
        dir.resolve("nope.pem").toString(), "-t", "1s");

    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines()).containsExactly("stampede: --ca-file " + dir.resolve("nope.pem")
        + " does not exist");
  }

  @Test
  void aUserClassSetsItsOwnTls() throws Exception {
    Path json = dir.resolve("own.json");

    int code = run(Map.of(), "run", "--scenario", OwnTlsUser.class.getName(), "--host",
        "https://localhost:" + trusted, "-u", "1", "-t", "1s", "--stop-timeout", "60s", "-q", "--json", json.toString(), "--fail-on-failures");

    assertThat(code).as(err.toString()).isZero();
    assertThat(total(json).get("count").asLong()).isPositive();
  }

  /** Trusts the test CA through {@link User#tls()}, without any TLS option on the command line. */
  public static class OwnTlsUser extends User {
    static volatile Path caFile;

    @Override
    protected Tls tls() {
      return Tls.builder().caFile(caFile).build();
    }

    @Task
    void index() {
      http().get("/");
    }
  }
}
