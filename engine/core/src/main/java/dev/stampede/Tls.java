package dev.stampede;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a user's HTTP client does TLS: which servers it trusts, whether it checks them at all, and
 * which client certificate it presents. Give it to the run with {@code --insecure},
 * {@code --ca-file} and {@code --cert}/{@code --key}, or per user class by overriding
 * {@link User#tls()}:
 *
 * <pre>{@code
 * public class ApiUser extends User {
 *   @Override protected Tls tls() {
 *     return Tls.builder().caFile(Path.of("ca.pem")).clientCertificate(Path.of("me.pem"), Path.of("me.key")).build();
 *   }
 * }
 * }</pre>
 *
 * <p>The default ({@link #defaults()}) trusts the JDK's trust store and checks the host name, like a
 * browser. Files are read when the first connection needs them; a file that cannot be read or
 * parsed fails with a one-line message that names the file and never the password.
 */
public final class Tls {

  private static final Tls DEFAULTS = builder().build();

  private final boolean insecure;
  private final Path caFile;
  private final Path certificate;
  private final Path key;
  private final Path pkcs12;
  private final char[] pkcs12Password;

  private Tls(Builder builder) {
    this.insecure = builder.insecure;
    this.caFile = builder.caFile;
    this.certificate = builder.certificate;
    this.key = builder.key;
    this.pkcs12 = builder.pkcs12;
    this.pkcs12Password = builder.pkcs12Password;
  }

  /** The JDK's trust store, host names checked, no client certificate. */
  public static Tls defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether certificates and host names go unchecked. The default is false. */
  public boolean insecure() {
    return insecure;
  }

  /** PEM certificates trusted in addition to the JDK's trust store, or {@code null} (the default). */
  public Path caFile() {
    return caFile;
  }

  /** The client certificate chain (PEM), or {@code null} (the default). */
  public Path certificate() {
    return certificate;
  }

  /** The client certificate's private key (PEM, unencrypted PKCS#8), or {@code null} (the default). */
  public Path key() {
    return key;
  }

  /** The client certificate and key as a PKCS#12 file, or {@code null} (the default). */
  public Path pkcs12() {
    return pkcs12;
  }

  /** The PKCS#12 password (a copy), or {@code null}. */
  public char[] pkcs12Password() {
    return pkcs12Password == null ? null : pkcs12Password.clone();
  }

  /** Whether these settings present a client certificate. */
  public boolean hasClientCertificate() {
    return certificate != null || pkcs12 != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tls that && insecure == that.insecure && Objects.equals(caFile, that.caFile)
        && Objects.equals(certificate, that.certificate) && Objects.equals(key, that.key)
        && Objects.equals(pkcs12, that.pkcs12) && Arrays.equals(pkcs12Password, that.pkcs12Password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(insecure, caFile, certificate, key, pkcs12) * 31 + Arrays.hashCode(pkcs12Password);
  }

  /** The settings without the password, e.g. {@code Tls[insecure=false, caFile=ca.pem, pkcs12=me.p12]}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Tls[insecure=").append(insecure);
    if (caFile != null) {
      s.append(", caFile=").append(caFile);
    }
    if (certificate != null) {
      s.append(", certificate=").append(certificate).append(", key=").append(key);
    }
    if (pkcs12 != null) {
      s.append(", pkcs12=").append(pkcs12);
    }
    return s.append(']').toString();
  }

  /** Builds {@link Tls} settings; every setter checks its argument. */
  public static final class Builder {
    private boolean insecure;
    private Path caFile;
    private Path certificate;
    private Path key;
    private Path pkcs12;
    private char[] pkcs12Password;

    private Builder() {}

    /**
     * Skips every check of the server: any certificate, any host name (k6's
     * {@code insecureSkipTLSVerify}). For test environments only. The default is false.
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * Trusts the CA certificates in {@code pemFile} in addition to the JDK's trust store (so a run
     * can reach both an internal service and a public one). The default is none.
     */
    public Builder caFile(Path pemFile) {
      this.caFile = Objects.requireNonNull(pemFile, "caFile");
      return this;
    }

    /**
     * Presents a client certificate (mutual TLS): {@code certificatePem} holds the certificate and
     * any intermediates, {@code keyPem} the unencrypted PKCS#8 private key
     * ({@code -----BEGIN PRIVATE KEY-----}). Replaces a {@link #pkcs12} set before.
     */
    public Builder clientCertificate(Path certificatePem, Path keyPem) {
      this.certificate = Objects.requireNonNull(certificatePem, "certificatePem");
      this.key = Objects.requireNonNull(keyPem, "keyPem");
      this.pkcs12 = null;
      this.pkcs12Password = null;
      return this;
    }

    /**
     * Presents the client certificate and key of a PKCS#12 file (mutual TLS), opened with
     * {@code password} (empty for none). Replaces a {@link #clientCertificate} set before.
     */
    public Builder pkcs12(Path file, char[] password) {
      this.pkcs12 = Objects.requireNonNull(file, "pkcs12");
      this.pkcs12Password = Objects.requireNonNull(password, "password").clone();
      this.certificate = null;
      this.key = null;
      return this;
    }

    /** Builds the settings. */
    public Tls build() {
      return new Tls(this);
    }
  }
}
