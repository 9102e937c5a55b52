package dev.stampede.cli;

import dev.stampede.Tls;
import dev.stampede.config.ConfigException;
import dev.stampede.http.TlsClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The TLS options of {@code stampede run}: whom to trust and which client certificate to present.
 * A user class that overrides {@link dev.stampede.User#tls()} uses its own settings instead.
 */
final class TlsOptions {

  /** Where the PKCS#12 password is read from unless {@code --cert-password-env} names another variable. */
  static final String DEFAULT_PASSWORD_VARIABLE = "STAMPEDE_CERT_PASSWORD";

  @Option(names = "--insecure",
      description = "Skips every check of HTTPS servers: any certificate, any host name (for test environments).")
  boolean insecure;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Trusts the CA certificates in PEM in addition to the JDK's trust store.")
  Path caFile;

  @Option(names = "--cert", paramLabel = "FILE",
      description = "A client certificate for mutual TLS: PEM (with --key) or PKCS#12 (without --key).")
  Path certificate;

  @Option(names = "--key", paramLabel = "PEM", description = "The --cert's private key: unencrypted PKCS#8 PEM.")
  Path key;

  @Option(names = "--cert-password-env", paramLabel = "VARIABLE", defaultValue = DEFAULT_PASSWORD_VARIABLE,
      description = "The environment variable holding the PKCS#12 password (never a command-line argument, which"
          + " ps shows). Default: ${DEFAULT-VALUE}; unset means no password.")
  String passwordVariable;

  /**
   * The run's TLS settings, with their files read and checked now, so a bad file stops the run
   * before any load (exit 2, one line, never the password).
   */
  Tls resolve(Map<String, String> environment) {
    if (key != null && certificate == null) {
      throw new ConfigException("--key needs --cert");
    }
    Tls.Builder builder = Tls.builder().insecure(insecure);
    if (caFile != null) {
      builder.caFile(caFile);
    }
    if (certificate != null && key != null) {
      builder.clientCertificate(certificate, key);
    } else if (certificate != null) {
      String password = environment.get(passwordVariable);
      builder.pkcs12(certificate, password == null ? new char[0] : password.toCharArray());
    }
    Tls tls = builder.build();
    TlsClient.of(tls);
    return tls;
  }

  /** Says once, on the error stream, what {@code --insecure} gives up. */
  void warn(PrintWriter err) {
    if (insecure) {
      err.println("stampede: warning: --insecure: HTTPS certificates and host names are not checked");
    }
  }
}
