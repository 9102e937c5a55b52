package dev.stampede.http;

import dev.stampede.Tls;
import dev.stampede.testkit.TestPki;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@link HttpSessionHttp2Test} again over TLS (ALPN {@code h2}, a CA made at test time): reads
 * given up at a stream's deadline or on an idle connection stop inside the TLS layer, which must
 * go on where it stopped.
 */
class HttpSessionHttp2TlsTest extends HttpSessionHttp2Test {

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static SslContext tls;

  @BeforeAll
  static void makePki() throws Exception {
    pki = TestPki.create(dir);
    tls = SslContextBuilder.forServer(pki.serverPem.toFile(), pki.serverKey.toFile()).sslProvider(SslProvider.JDK)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
  }

  @Override
  H2TestServer newServer() throws Exception {
    return new H2TestServer(tls);
  }

  @Override
  HttpSession.Builder sessionFor(H2TestServer server) {
    return super.sessionFor(server).tls(Tls.builder().caFile(pki.caPem).build());
  }
}
