package dev.stampede.web;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.stampede.support.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP basic auth ({@code --web-auth}) for every request, with the JDK's {@link BasicAuthenticator}.
 * Only a digest of {@code user:password} is kept; a guess is compared with it in constant time, and
 * neither is ever logged or echoed.
 *
 * <p>A filter rather than the context's authenticator because the JDK runs a context's authenticator
 * after all of its filters: this way the Host check comes first, then the password, then the CSRF
 * check, and a refusal carries a text body like every other answer of the page.
 */
final class BasicAuthFilter extends Filter {

  static final String REALM = "Stampede";

  private final String user;
  private final Credentials credentials;

  /** {@code userColonPassword} is {@code user:password}, checked by {@link WebUi.Builder#auth(String)}. */
  BasicAuthFilter(String userColonPassword) {
    this.user = userColonPassword.substring(0, userColonPassword.indexOf(':'));
    this.credentials = new Credentials(Sha256.digest(userColonPassword.getBytes(StandardCharsets.UTF_8)));
  }

  /** The user name, for the start-up line (never the password). */
  String user() {
    return user;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (credentials.authenticate(exchange) instanceof Authenticator.Success) {
      chain.doFilter(exchange);
      return;
    }
    try (exchange) {
      Responses.send(exchange, 401, Responses.TEXT, "authentication required\n");
    }
  }

  @Override
  public String description() {
    return "HTTP basic auth, realm " + REALM;
  }

  /** The JDK's basic authenticator with a constant-time check against the digest. */
  private static final class Credentials extends BasicAuthenticator {

    private final byte[] digest;

    Credentials(byte[] digest) {
      super(REALM, StandardCharsets.UTF_8);
      this.digest = digest;
    }

    /**
     * The JDK's, except that a malformed {@code Authorization} header (another scheme, bad base64,
     * no colon) is answered with the same challenge as a wrong password instead of an exception or
     * a bare 401 without {@code WWW-Authenticate}.
     */
    @Override
    public Result authenticate(HttpExchange exchange) {
      String header = exchange.getRequestHeaders().getFirst("Authorization");
      if (header != null && !wellFormed(header)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + getRealm() + "\", charset=\"UTF-8\"");
        return new Authenticator.Retry(401);
      }
      return super.authenticate(exchange);
    }

    @Override
    public boolean checkCredentials(String user, String password) {
      byte[] given = Sha256.digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      // Digests have one length whatever was typed, so the comparison takes the same time for every guess.
      return MessageDigest.isEqual(given, digest);
    }

    /** What the JDK's parser accepts: {@code Basic BASE64} of a text with a colon. */
    private static boolean wellFormed(String header) {
      if (!header.startsWith("Basic ")) {
        return false;
      }
      try {
        return new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8).indexOf(':') >= 0;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }
}
