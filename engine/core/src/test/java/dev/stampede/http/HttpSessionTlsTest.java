package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stampede.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HttpSession over TLS, against a loopback HttpsServer with a self-signed certificate for 127.0.0.1. */
@Timeout(60) // a parsing bug shows up as a hang; fail it instead
class HttpSessionTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  Path dir;

  private HttpsServer server;
  private KeyStore keyStore;
  private final RecordingSink sink = new RecordingSink();

  @BeforeEach
  void start() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "keytool is not in this JDK: " + keytool);
    Path store = dir.resolve("server.p12");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/", exchange -> {
      byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void speaksHttpsWithATrustedCertificateAndKeepsTheConnection() throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trust.getTrustManagers(), null);

    try (HttpSession session = HttpSession.builder().baseUrl(url()).sink(sink)
        .sslContext(clientContext).build()) {
      Response first = session.get("/a");
      Response second = session.get("/b");

      assertThat(first.text()).isEqualTo("secure");
      assertThat(second.ok()).isTrue();
      assertThat(session.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void defaultTrustStoreRejectsASelfSignedCertificate() {
    try (HttpSession session = HttpSession.builder().baseUrl(url()).sink(sink).build()) {
      Response response = session.get("/");

      assertThat(response.status()).isZero();
      assertThat(response.failure()).startsWith("TLS failed (127.0.0.1:" + server.getAddress().getPort() + "): ");
      assertThat(sink.only().failure()).isEqualTo(response.failure());
    }
  }
}
