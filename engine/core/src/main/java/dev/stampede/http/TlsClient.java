package dev.stampede.http;

import dev.stampede.Tls;
import dev.stampede.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.LoggerFactory;

/**
 * The TLS client side of a run, made from {@link Tls} settings once and shared by every user with
 * the same settings: one {@link SSLContext}, so one session cache, and reconnects resume their TLS
 * session instead of a full handshake.
 *
 * <p>Trust: the JDK's trust store, plus the CA file if one is given (a chain passes when either
 * trusts it); with {@link Tls#insecure()} nothing is checked, neither the chain nor the host name.
 * Host names are checked by the trust manager ({@code HTTPS} endpoint identification, RFC 2818).
 */
public final class TlsClient {

  /** Application protocols offered by ALPN when HTTP/2 may be used, most preferred first. */
  static final String[] H2_AND_HTTP11 = {"h2", "http/1.1"};
  /** Application protocols offered by ALPN when only HTTP/1.1 may be used. */
  static final String[] HTTP11 = {"http/1.1"};

  private static final Map<Tls, TlsClient> CLIENTS = new ConcurrentHashMap<>();

  /**
   * Which engine: {@code openssl} (BoringSSL, where it loads; the default) or {@code jdk}, from
   * {@code -Dstampede.tls.engine} (decision 0011).
   */
  private static final boolean OPENSSL = chooseOpenSsl(System.getProperty("stampede.tls.engine", "openssl"));

  private final SSLContext context;
  private final OpenSslEngines openSsl;
  private final boolean insecure;

  private TlsClient(SSLContext context, OpenSslEngines openSsl, boolean insecure) {
    this.context = context;
    this.openSsl = openSsl;
    this.insecure = insecure;
  }

  /**
   * The client for {@code tls}, made on first use and shared from then on.
   *
   * @throws ConfigException when a file cannot be read or parsed (one line naming the file, never a password)
   */
  public static TlsClient of(Tls tls) {
    TlsClient client = CLIENTS.get(tls);
    if (client == null) {
      client = CLIENTS.computeIfAbsent(tls, TlsClient::create);
    }
    return client;
  }

  /** A client on a ready-made context (tests, embedding); host names are checked. */
  static TlsClient of(SSLContext context) {
    return new TlsClient(context, null, false);
  }

  /**
   * Whether clients made from {@link Tls} settings use BoringSSL's engines (it loaded, and
   * {@code -Dstampede.tls.engine=jdk} is not set); the first call loads the native library.
   */
  public static boolean usesOpenSsl() {
    return OPENSSL;
  }

  /** Whether this client's engines are BoringSSL's rather than the JDK's. */
  boolean openSsl() {
    return openSsl != null;
  }

  /** The context its engines come from. */
  SSLContext context() {
    return context;
  }

  /**
   * A client-mode engine for {@code host:port}: the host is sent as SNI (unless it is an IP address)
   * and checked against the certificate (unless insecure), {@code protocols} are offered by ALPN.
   */
  SSLEngine engine(String host, int port, String[] protocols) throws SSLException {
    SSLEngine engine;
    if (openSsl != null) {
      engine = openSsl.engine(host, port, protocols); // client mode and ALPN come with its context
    } else {
      engine = context.createSSLEngine(host, port);
      engine.setUseClientMode(true);
    }
    SSLParameters parameters = engine.getSSLParameters();
    if (!insecure) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (openSsl == null) {
      parameters.setApplicationProtocols(protocols);
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  private static boolean chooseOpenSsl(String engine) {
    if (engine.equalsIgnoreCase("jdk")) {
      return false;
    }
    if (OpenSslEngines.available()) {
      return true;
    }
    LoggerFactory.getLogger(TlsClient.class).debug("BoringSSL did not load ({}): TLS uses the JDK's engine",
        OpenSslEngines.unavailabilityCause());
    return false;
  }

  private static TlsClient create(Tls tls) {
    try {
      X509ExtendedTrustManager trust;
      if (tls.insecure()) {
        trust = new TrustEverything();
      } else if (tls.caFile() != null) {
        trust = new EitherTrust(trustManager(loadCaFile(tls.caFile())), trustManager(null));
      } else {
        trust = trustManager(null); // the JDK's default trust store
      }
      KeyManagerFactory keys = keyManagers(tls);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trust}, null);
      return new TlsClient(context, OPENSSL ? OpenSslEngines.create(trust, keys) : null, tls.insecure());
    } catch (GeneralSecurityException | SSLException e) {
      throw new ConfigException("TLS cannot be set up: " + e.getMessage());
    }
  }

  private static KeyStore loadCaFile(Path file) {
    Collection<? extends Certificate> certificates = readCertificates(file, "--ca-file");
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException("--ca-file " + file + ": " + firstLine(e));
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in " + factory.getAlgorithm());
  }

  private static KeyManagerFactory keyManagers(Tls tls) throws GeneralSecurityException {
    KeyStore store;
    char[] password;
    if (tls.pkcs12() != null) {
      password = tls.pkcs12Password();
      store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(tls.pkcs12())) {
        store.load(in, password);
      } catch (NoSuchFileException e) {
        throw new ConfigException("--cert " + tls.pkcs12() + " does not exist");
      } catch (IOException | GeneralSecurityException e) {
        // Never the password itself: only that it did not open the file.
        throw new ConfigException("--cert " + tls.pkcs12() + " cannot be opened as PKCS#12"
            + " (wrong password, or not a PKCS#12 file)");
      }
    } else if (tls.certificate() != null) {
      List<Certificate> chain = new ArrayList<>(readCertificates(tls.certificate(), "--cert"));
      PrivateKey key = readPrivateKey(tls.key());
      password = new char[0];
      store = KeyStore.getInstance("PKCS12");
      try {
        store.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      if (!belongTogether(key, chain.get(0))) {
        throw new ConfigException("--key " + tls.key() + " does not belong to --cert " + tls.certificate());
      }
      store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
    } else {
      return null;
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    try {
      factory.init(store, password);
    } catch (GeneralSecurityException e) {
      throw new ConfigException("--cert " + (tls.pkcs12() != null ? tls.pkcs12() : tls.certificate())
          + ": the key cannot be used (" + e.getClass().getSimpleName() + ")");
    }
    return factory;
  }

  /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
  private static boolean belongTogether(PrivateKey key, Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448, RSASSA-PSS name their signature themselves
    };
    try {
      byte[] probe = "stampede".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an EC key with an RSA certificate
    }
  }

  private static Collection<? extends Certificate> readCertificates(Path file, String option) {
    byte[] bytes = read(file, option);
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(new java.io.ByteArrayInputStream(bytes));
      if (certificates.isEmpty()) {
        throw new ConfigException(option + " " + file + " holds no PEM certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new ConfigException(option + " " + file + " is not a PEM certificate file: " + firstLine(e));
    }
  }

  /** An unencrypted PKCS#8 private key in PEM ({@code BEGIN PRIVATE KEY}); RSA, EC or EdDSA. */
  private static PrivateKey readPrivateKey(Path file) {
    String pem = new String(read(file, "--key"), StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (start < 0 || end < start) {
      String hint = pem.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
          : pem.contains("RSA PRIVATE KEY") || pem.contains("EC PRIVATE KEY") ? "a PKCS#1/SEC1 key"
          : "no PEM private key";
      // The message never quotes the file: it holds a secret.
      throw new ConfigException("--key " + file + " holds " + hint + "; give an unencrypted PKCS#8 key"
          + " (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8) or a PKCS#12 file");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--key " + file + " is not valid base64 PEM");
    }
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new ConfigException("--key " + file + " is no RSA, EC or EdDSA PKCS#8 private key");
  }

  private static byte[] read(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(option + " " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(option + " " + file + " cannot be read: " + firstLine(e));
    }
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("");
  }

  /** Trusts a chain when the first manager or, failing that, the second does. */
  private static final class EitherTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager first;
    private final X509ExtendedTrustManager second;

    EitherTrust(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        try {
          second.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException ignored) {
          throw e; // the CA file's reason: that is the one a user added for this server
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        try {
          second.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException ignored) {
          throw e;
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        try {
          second.checkServerTrusted(chain, authType);
        } catch (CertificateException ignored) {
          throw e;
        }
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a client does not check clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> issuers = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      issuers.addAll(List.of(second.getAcceptedIssuers()));
      return issuers.toArray(new X509Certificate[0]);
    }
  }

  /**
   * {@code --insecure}: accepts every chain and, being an {@link X509ExtendedTrustManager}, also
   * every host name (the JDK checks host names only in its own trust manager).
   */
  private static final class TrustEverything extends X509ExtendedTrustManager implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
