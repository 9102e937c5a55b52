package dev.stampede.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with {@code openssl} at test time: a CA, a server certificate it signed for
 * {@code localhost} and {@code 127.0.0.1}, a self-signed server certificate nobody trusts, and a
 * client CA with a client certificate (PEM and PKCS#12). Keys are unencrypted PKCS#8.
 */
public final class TestPki {

  /** The PKCS#12 file's password; a test proves it never shows in a message. */
  public static final String PKCS12_PASSWORD = "p12-Secret-4711";

  public final Path dir;
  public final Path caPem;
  public final Path serverPem;
  public final Path serverKey;
  public final Path untrustedPem;
  public final Path untrustedKey;
  public final Path clientCaPem;
  public final Path clientPem;
  public final Path clientKey;
  public final Path clientP12;

  private TestPki(Path dir) {
    this.dir = dir;
    caPem = dir.resolve("ca.pem");
    serverPem = dir.resolve("server.pem");
    serverKey = dir.resolve("server.key");
    untrustedPem = dir.resolve("untrusted.pem");
    untrustedKey = dir.resolve("untrusted.key");
    clientCaPem = dir.resolve("client-ca.pem");
    clientPem = dir.resolve("client.pem");
    clientKey = dir.resolve("client.key");
    clientP12 = dir.resolve("client.p12");
  }

  /** Makes every file in {@code dir}. */
  public static TestPki create(Path dir) throws IOException, InterruptedException {
    TestPki pki = new TestPki(dir);
    pki.make();
    return pki;
  }

  private void make() throws IOException, InterruptedException {
    Path serverExt = dir.resolve("server.ext");
    Files.writeString(serverExt, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    Path clientExt = dir.resolve("client.ext");
    Files.writeString(clientExt, "extendedKeyUsage=clientAuth\n");
    selfSigned("ca", "/CN=Stampede Test CA", "basicConstraints=critical,CA:TRUE");
    signed("server", "/CN=localhost", "ca", serverExt);
    selfSigned("untrusted", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
    selfSigned("client-ca", "/CN=Stampede Test Client CA", "basicConstraints=critical,CA:TRUE");
    signed("client", "/CN=stampede-client", "client-ca", clientExt);
    openssl("pkcs12", "-export", "-in", clientPem.toString(), "-inkey", clientKey.toString(), "-out",
        clientP12.toString(), "-passout", "pass:" + PKCS12_PASSWORD);
  }

  private void selfSigned(String name, String subject, String extension) throws IOException, InterruptedException {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", subject, "-addext", extension, "-keyout", dir.resolve(name + ".key").toString(),
        "-out", dir.resolve(name + ".pem").toString());
  }

  private void signed(String name, String subject, String ca, Path extensions) throws IOException, InterruptedException {
    Path csr = dir.resolve(name + ".csr");
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject,
        "-keyout", dir.resolve(name + ".key").toString(), "-out", csr.toString());
    openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".pem").toString(), "-CAkey",
        dir.resolve(ca + ".key").toString(), "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
        "-out", dir.resolve(name + ".pem").toString());
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Nginx.require("/usr/bin/openssl", "openssl").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as("openssl %s: %s", args[0], output).isZero();
  }
}
