package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stampede.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Requests through a loopback proxy, checked on the request lines the proxy and the origin received. */
@Timeout(60)
class HttpSessionProxyTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  /** {@code Basic} of {@code proxyuser:s3cret!}. */
  private static final String PROXY_BASIC = "Basic cHJveHl1c2VyOnMzY3JldCE=";

  private TestProxy proxy;
  private ScriptedServer origin;
  private final RecordingSink sink = new RecordingSink();

  @BeforeEach
  void start() throws IOException {
    proxy = new TestProxy();
    origin = new ScriptedServer();
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    origin.close();
  }

  private HttpSession.Builder session() {
    return HttpSession.builder().sink(sink);
  }

  @Test
  void sendsPlainHttpInAbsoluteFormOverOneConnectionToTheProxyForEveryOrigin() throws IOException {
    try (ScriptedServer other = new ScriptedServer();
        HttpSession session = session().baseUrl(URI.create(origin.url())).proxy(proxy.url(), null).build()) {
      origin.reply(OK).reply(OK);
      other.reply(OK);

      assertThat(session.get("/a?x=1").text()).isEqualTo("ok");
      assertThat(session.get(other.url() + "/b").text()).isEqualTo("ok");
      assertThat(session.get("/c").text()).isEqualTo("ok");

      assertThat(proxy.requestLines()).containsExactly(
          "GET http://127.0.0.1:" + origin.port() + "/a?x=1 HTTP/1.1",
          "GET http://127.0.0.1:" + other.port() + "/b HTTP/1.1",
          "GET http://127.0.0.1:" + origin.port() + "/c HTTP/1.1");
      assertThat(proxy.heads.get(0)).contains("\r\nHost: 127.0.0.1:" + origin.port() + "\r\n");
      assertThat(proxy.connections.get()).as("one pooled connection to the proxy").isEqualTo(1);
      assertThat(session.openConnections()).isEqualTo(1);
      assertThat(origin.requests).extracting(r -> r.substring(0, r.indexOf("\r\n")))
          .containsExactly("GET /a?x=1 HTTP/1.1", "GET /c HTTP/1.1");
      assertThat(sink.records).hasSize(3).allMatch(r -> r.failure() == null);
    }
  }

  @Test
  void sendsTheProxysCredentialsToTheProxyOnlyAndNeverShowsThem() {
    proxy.requireCredentials(PROXY_BASIC);
    origin.reply(OK);
    try (HttpSession session = session().baseUrl(URI.create(origin.url()))
        .proxy("http://proxyuser:s3cret!@127.0.0.1:" + proxy.port(), null).build()) {

      assertThat(session.get("/private").text()).isEqualTo("ok");

      assertThat(proxy.heads.get(0)).contains("\r\nProxy-Authorization: " + PROXY_BASIC + "\r\n");
      assertThat(origin.requests.get(0)).doesNotContain("Proxy-Authorization");
      assertThat(Proxies.of("http://proxyuser:s3cret!@127.0.0.1:" + proxy.port(), null).toString())
          .doesNotContain("s3cret");
    }
  }

  @Test
  void aProxyAuthenticationRequiredAnswerIsAClearFailure() {
    proxy.requireCredentials(PROXY_BASIC);
    try (HttpSession session = session().baseUrl(URI.create(origin.url()))
        .proxy("http://proxyuser:wrong@127.0.0.1:" + proxy.port(), null).build()) {

      Response response = session.get("/private");

      assertThat(response.ok()).isFalse();
      assertThat(response.failure()).isEqualTo("HTTP 407 Proxy Authentication Required (from proxy 127.0.0.1:"
          + proxy.port() + ", which did not accept the credentials)");
      assertThat(sink.only().failure()).isEqualTo(response.failure()).doesNotContain("wrong");
      assertThat(origin.requests).isEmpty();
    }
  }

  @Test
  void hostsOnTheNoProxyListAreReachedDirectly() {
    origin.reply(OK);
    try (HttpSession session = session().baseUrl(URI.create(origin.url()))
        .proxy(proxy.url(), "example.test, 127.0.0.1:" + origin.port()).build()) {

      assertThat(session.get("/direct").text()).isEqualTo("ok");

      assertThat(proxy.heads).isEmpty();
      assertThat(origin.requests.get(0)).startsWith("GET /direct HTTP/1.1");
    }
  }

  @Test
  void aProxyThatRefusesConnectionsIsNamedInTheFailure() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (HttpSession session = session().baseUrl(URI.create(origin.url()))
        .proxy("http://u:p@127.0.0.1:" + closedPort, null).build()) {

      assertThat(session.get("/").failure()).isEqualTo("connection refused (127.0.0.1:" + origin.port()
          + " via proxy 127.0.0.1:" + closedPort + ")");
    }
  }

  // ------------------------------------------------------------------ https through CONNECT

  private static final char[] PASSWORD = "changeit".toCharArray();

  /** An https origin on loopback with a self-signed certificate for 127.0.0.1, and a client trusting it. */
  private record Tls(HttpsServer server, SSLContext client, List<String> paths) implements AutoCloseable {
    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** One key pair for every test: keytool takes seconds. */
  private static KeyStore keyStore;

  private static synchronized KeyStore keyStore() throws Exception {
    if (keyStore == null) {
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      assumeTrue(Files.isExecutable(keytool), "keytool is not in this JDK: " + keytool);
      Path dir = Files.createTempDirectory("stampede-proxy-test");
      Path store = dir.resolve("server.p12");
      Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
          "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
          "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
          .redirectErrorStream(true).start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
      assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
      KeyStore loaded = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        loaded.load(in, PASSWORD);
      }
      Files.delete(store);
      Files.delete(dir);
      keyStore = loaded;
    }
    return keyStore;
  }

  private Tls httpsOrigin() throws Exception {
    KeyStore keyStore = keyStore();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trust.getTrustManagers(), null);

    List<String> paths = new CopyOnWriteArrayList<>();
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/", exchange -> {
      paths.add(exchange.getRequestURI().toString());
      byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return new Tls(server, clientContext, paths);
  }

  @Test
  void tunnelsHttpsThroughConnectAndSpeaksTlsWithTheOriginOverIt() throws Exception {
    proxy.requireCredentials(PROXY_BASIC);
    try (Tls tls = httpsOrigin();
        HttpSession session = session().baseUrl(URI.create("https://127.0.0.1:" + tls.port()))
            .sslContext(tls.client())
            .proxy("http://proxyuser:s3cret!@127.0.0.1:" + proxy.port(), null).build()) {

      Response first = session.get("/a");
      Response second = session.get("/b?c=d");

      assertThat(first.text()).isEqualTo("secure");
      assertThat(second.ok()).isTrue();
      assertThat(proxy.heads).singleElement().isEqualTo("CONNECT 127.0.0.1:" + tls.port() + " HTTP/1.1\r\nHost: 127.0.0.1:"
          + tls.port() + "\r\nProxy-Authorization: " + PROXY_BASIC + "\r\n\r\n");
      assertThat(tls.paths()).containsExactly("/a", "/b?c=d");
      assertThat(proxy.connections.get()).as("the tunnel is kept alive").isEqualTo(1);
    }
  }

  @Test
  void aRefusedTunnelIsAClearFailureWithoutTheCredentials() throws Exception {
    proxy.requireCredentials(PROXY_BASIC);
    try (Tls tls = httpsOrigin();
        HttpSession session = session().baseUrl(URI.create("https://127.0.0.1:" + tls.port()))
            .sslContext(tls.client())
            .proxy("http://proxyuser:wrong@127.0.0.1:" + proxy.port(), null).build()) {

      Response response = session.get("/a");

      assertThat(response.failure()).isEqualTo("proxy 127.0.0.1:" + proxy.port() + " refused the tunnel to 127.0.0.1:"
          + tls.port() + ": HTTP 407 Proxy Authentication Required (the proxy did not accept the credentials)");
      assertThat(tls.paths()).isEmpty();
    }
  }
}
