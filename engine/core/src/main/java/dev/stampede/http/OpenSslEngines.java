package dev.stampede.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client {@link SSLEngine}s whose records, ciphers and key exchange run in BoringSSL's compiled code
 * (Netty's {@code netty-tcnative}), with certificates still checked by the same Java trust managers
 * as the JDK's engines. Why: over keep-alive HTTPS the JDK's engine cost about 27 µs of CPU per
 * request more than plain HTTP, and its crypto is Java code that is slow until the JIT compiled it
 * (decision 0011).
 *
 * <p>One Netty context per ALPN offer (h2 and HTTP/1.1, HTTP/1.1 only, h2 only), made on first use,
 * since Netty sets ALPN per context; each holds its own client session cache, keyed by host and
 * port, for resumption.
 */
final class OpenSslEngines {

  /**
   * Direct buffers for the engines' copies of heap buffers (TlsSocket hands them direct ones on the
   * carrier loops, heap ones elsewhere), from arenas without per-thread caches: a cache per virtual
   * thread would hold memory for every user.
   */
  private static final ByteBufAllocator BUFFERS = new PooledByteBufAllocator(true,
      0, PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(),
      PooledByteBufAllocator.defaultMaxOrder(), 0, 0, false);

  static {
    // Netty's leak detector samples buffer allocations and took 6% of a TLS run's CPU in a JFR
    // profile; our buffers are released in finally blocks, and a user who wants it can set the property.
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  private final X509ExtendedTrustManager trust;
  private final KeyManagerFactory keys;
  private final Map<List<String>, SslContext> contexts = new ConcurrentHashMap<>();

  private OpenSslEngines(X509ExtendedTrustManager trust, KeyManagerFactory keys) {
    this.trust = trust;
    this.keys = keys;
  }

  /** Whether BoringSSL loaded on this platform; when not, the JDK's engine is used. */
  static boolean available() {
    try {
      return OpenSsl.isAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Why BoringSSL did not load, for a debug line. */
  static String unavailabilityCause() {
    Throwable cause = OpenSsl.unavailabilityCause();
    return cause == null ? "unknown" : cause.toString();
  }

  /**
   * Contexts trusting {@code trust} and presenting the client certificate of {@code keys} (may be
   * {@code null}).
   */
  static OpenSslEngines create(X509ExtendedTrustManager trust, KeyManagerFactory keys) throws SSLException {
    OpenSslEngines engines = new OpenSslEngines(trust, keys);
    engines.context(List.of(TlsClient.H2_AND_HTTP11)); // fails here, at set-up, if the material does not fit
    return engines;
  }

  private SslContext context(List<String> protocols) throws SSLException {
    SslContext context = contexts.get(protocols);
    if (context != null) {
      return context;
    }
    synchronized (contexts) {
      context = contexts.get(protocols);
      if (context == null) {
        context = build(protocols);
        contexts.put(protocols, context);
      }
      return context;
    }
  }

  private SslContext build(List<String> protocols) throws SSLException {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.OPENSSL_REFCNT)
        .trustManager(trust)
        .keyManager(keys)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols))
        .build();
  }

  /**
   * A client engine for {@code host:port} offering {@code protocols} by ALPN; SNI is sent for host
   * names. Its native memory is freed by {@link #release}.
   */
  SSLEngine engine(String host, int port, String[] protocols) throws SSLException {
    return context(List.of(protocols)).newEngine(BUFFERS, host, port);
  }

  /** Frees an engine's native memory if it is one of ours; later calls on it fail as closed. */
  static void release(SSLEngine engine) {
    if (engine instanceof io.netty.util.ReferenceCounted counted && counted.refCnt() > 0) {
      counted.release();
    }
  }
}
