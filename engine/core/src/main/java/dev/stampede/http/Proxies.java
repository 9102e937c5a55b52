package dev.stampede.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which HTTP proxy, if any, a request goes through.
 *
 * <p>Sources, the first that names a proxy for the request's scheme wins:
 * <ol>
 *   <li>{@link #of}: one proxy for every request (the CLI's {@code --proxy URL}), except hosts
 *       matching its no-proxy list;
 *   <li>{@link #fromEnvironment}: the JVM's {@code -Dhttp.proxyHost}/{@code -Dhttp.proxyPort} and
 *       {@code -Dhttps.proxyHost}/{@code -Dhttps.proxyPort} with {@code -Dhttp.nonProxyHosts} (Java's
 *       rules and default: {@code localhost|127.*|[::1]}), then the environment's
 *       {@code http_proxy}, {@code https_proxy}, {@code all_proxy} (lower case first, then upper
 *       case) with {@code no_proxy}/{@code NO_PROXY} (curl's rules).
 * </ol>
 *
 * <p>No-proxy list (curl's conventions): entries separated by commas (or spaces); {@code *} alone
 * matches every host; a host name matches itself and its subdomains, with or without a leading dot
 * ({@code example.com} and {@code .example.com} both match {@code example.com} and
 * {@code api.example.com}); an IP address matches itself, and an address with a prefix length
 * ({@code 10.0.0.0/8}) every address in it; an entry with a port ({@code example.com:8080}) matches
 * that port only. Names are compared without case; no name is resolved to an address.
 *
 * <p>A proxy URL is {@code http://[user:password@]host[:port]} (a missing scheme means
 * {@code http://}, a missing port 80). Its credentials are sent as {@code Proxy-Authorization: Basic}
 * and are never shown: {@link Proxy#toString} and every message use the address only. Proxies
 * spoken to over TLS ({@code https://} proxy URLs) and SOCKS are not supported and are refused.
 */
public final class Proxies {

  private static final Proxies NONE = new Proxies(null, null, List.of(), null, null, null);

  /** Java's default for {@code http.nonProxyHosts}. */
  // https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/doc-files/net-properties.html
  static final String JAVA_DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]";

  /**
   * An HTTP proxy.
   *
   * @param host the proxy's host name or address (no brackets)
   * @param port the proxy's port
   * @param authorization the {@code Proxy-Authorization} value, or {@code null}
   */
  public record Proxy(String host, int port, String authorization) {

    /** {@code host:port} (IPv6 in brackets), for messages and the keep-alive connection's key. */
    public String address() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The address only: the credentials are never shown. */
    @Override
    public String toString() {
      return "proxy " + address();
    }
  }

  private final Proxy http;
  private final Proxy https;
  private final List<NoProxy> noProxy;
  /** For the JVM's proxies: {@code http.nonProxyHosts} as a pattern; {@code null} otherwise. */
  private final Pattern javaNonProxyHosts;
  private final Proxy javaHttp;
  private final Proxy javaHttps;

  private Proxies(Proxy http, Proxy https, List<NoProxy> noProxy, Pattern javaNonProxyHosts, Proxy javaHttp,
      Proxy javaHttps) {
    this.http = http;
    this.https = https;
    this.noProxy = noProxy;
    this.javaNonProxyHosts = javaNonProxyHosts;
    this.javaHttp = javaHttp;
    this.javaHttps = javaHttps;
  }

  /** No proxy for any request. */
  public static Proxies none() {
    return NONE;
  }

  /**
   * {@code proxyUrl} for every request except to the hosts of {@code noProxy}.
   *
   * @param noProxy a no-proxy list (see the class comment), or {@code null} for none
   * @throws IllegalArgumentException for a proxy URL that is not {@code http://host[:port]}; the
   *     message never shows its credentials
   */
  public static Proxies of(String proxyUrl, String noProxy) {
    Proxy proxy = parse("proxy", Objects.requireNonNull(proxyUrl, "proxyUrl"));
    return new Proxies(proxy, proxy, parseNoProxy(noProxy), null, null, null);
  }

  /** The proxies of this JVM's system properties and of this process's environment. */
  public static Proxies fromEnvironment() {
    return fromEnvironment(System.getenv(), System.getProperties());
  }

  /**
   * The proxies of {@code properties} ({@code http.proxyHost}, ...) and of {@code environment}
   * ({@code http_proxy}, ...), as described in the class comment.
   *
   * @throws IllegalArgumentException for a proxy setting that is not a valid proxy, naming the
   *     setting and never its credentials
   */
  public static Proxies fromEnvironment(Map<String, String> environment, Properties properties) {
    Proxy javaHttp = javaProxy(properties, "http", 80);
    Proxy javaHttps = javaProxy(properties, "https", 443);
    Pattern nonProxyHosts = null;
    if (javaHttp != null || javaHttps != null) {
      nonProxyHosts = javaPattern(properties.getProperty("http.nonProxyHosts", JAVA_DEFAULT_NON_PROXY_HOSTS));
    }
    String allName = variable(environment, "all_proxy");
    Proxy all = allName == null ? null : parse(allName, environment.get(allName));
    String httpName = variable(environment, "http_proxy");
    String httpsName = variable(environment, "https_proxy");
    Proxy http = httpName == null ? all : parse(httpName, environment.get(httpName));
    Proxy https = httpsName == null ? all : parse(httpsName, environment.get(httpsName));
    String noProxyName = variable(environment, "no_proxy");
    List<NoProxy> noProxy = parseNoProxy(noProxyName == null ? null : environment.get(noProxyName));
    if (http == null && https == null && javaHttp == null && javaHttps == null) {
      return NONE;
    }
    return new Proxies(http, https, noProxy, nonProxyHosts, javaHttp, javaHttps);
  }

  /** The proxy for a request to {@code target}, or {@code null} to connect directly. */
  Proxy select(Target target) {
    Proxy java = target.https() ? javaHttps : javaHttp;
    if (java != null) {
      return javaNonProxyHosts.matcher(target.host()).matches() ? null : java;
    }
    Proxy proxy = target.https() ? https : http;
    if (proxy == null) {
      return null;
    }
    for (NoProxy entry : noProxy) {
      if (entry.matches(target.host(), target.port())) {
        return null;
      }
    }
    return proxy;
  }

  /** Whether no request goes through a proxy. */
  boolean isNone() {
    return http == null && https == null && javaHttp == null && javaHttps == null;
  }

  @Override
  public String toString() {
    if (isNone()) {
      return "no proxy";
    }
    return "http: " + (javaHttp != null ? javaHttp : http) + ", https: " + (javaHttps != null ? javaHttps : https);
  }

  // ------------------------------------------------------------------ parsing

  /** The lower-case name if set and not blank, else the upper-case one, else {@code null}. */
  private static String variable(Map<String, String> environment, String lowerCase) {
    for (String name : new String[] {lowerCase, lowerCase.toUpperCase(Locale.ROOT)}) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        return name;
      }
    }
    return null;
  }

  private static Proxy javaProxy(Properties properties, String scheme, int defaultPort) {
    String host = properties.getProperty(scheme + ".proxyHost");
    if (host == null || host.isBlank()) {
      return null;
    }
    String port = properties.getProperty(scheme + ".proxyPort");
    int number = defaultPort;
    if (port != null && !port.isBlank()) {
      try {
        number = Integer.parseInt(port.trim());
      } catch (NumberFormatException e) {
        number = -1;
      }
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException(scheme + ".proxyPort must be a port (1 to 65535) but was " + port);
      }
    }
    host = host.trim();
    return new Proxy(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host, number,
        null);
  }

  /** {@code http.nonProxyHosts}: {@code |}-separated host patterns with {@code *} at either end. */
  private static Pattern javaPattern(String hosts) {
    StringBuilder regex = new StringBuilder();
    for (String entry : hosts.split("\\|")) {
      String pattern = entry.trim().toLowerCase(Locale.ROOT);
      if (pattern.startsWith("[") && pattern.endsWith("]")) {
        pattern = pattern.substring(1, pattern.length() - 1);
      }
      if (pattern.isEmpty()) {
        continue;
      }
      if (!regex.isEmpty()) {
        regex.append('|');
      }
      List<String> literals = new ArrayList<>();
      for (String literal : pattern.split("\\*", -1)) {
        literals.add(Pattern.quote(literal));
      }
      regex.append(String.join(".*", literals));
    }
    return Pattern.compile(regex.isEmpty() ? "(?!)" : regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  /**
   * A proxy URL.
   *
   * @param what the setting it came from, for messages
   */
  static Proxy parse(String what, String url) {
    String text = url.trim();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " " + Urls.redact(text) + " is not a valid proxy URL: " + e.getReason());
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(what + " " + Urls.redact(text) + " must be an http:// proxy URL (a proxy"
          + " spoken to over TLS, or SOCKS, is not supported)");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(what + " " + Urls.redact(text) + " must have a host");
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Proxy(host.toLowerCase(Locale.ROOT), uri.getPort() == -1 ? 80 : uri.getPort(),
        Urls.basicAuthorization(uri.getRawUserInfo()));
  }

  private static List<NoProxy> parseNoProxy(String list) {
    if (list == null || list.isBlank()) {
      return List.of();
    }
    List<NoProxy> entries = new ArrayList<>();
    for (String raw : list.split("[,\\s]+")) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (!entry.isEmpty()) {
        entries.add(NoProxy.of(entry));
      }
    }
    return List.copyOf(entries);
  }

  /** One entry of a no-proxy list: {@code *}, a domain, an address or a network, optionally with a port. */
  private record NoProxy(String domain, byte[] network, int prefixBits, int port) {

    static NoProxy of(String entry) {
      if (entry.equals("*")) {
        return new NoProxy("", null, 0, -1);
      }
      int port = -1;
      String host = entry;
      if (host.startsWith("[")) { // [::1] or [::1]:8080
        int close = host.indexOf(']');
        if (close > 0 && host.startsWith(":", close + 1)) {
          port = portOf(host.substring(close + 2));
        }
        host = close > 0 ? host.substring(1, close) : host;
      } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) { // name:port, not IPv6
        port = portOf(host.substring(host.indexOf(':') + 1));
        host = host.substring(0, host.indexOf(':'));
      }
      int slash = host.indexOf('/');
      String address = slash < 0 ? host : host.substring(0, slash);
      byte[] network = literal(address);
      if (network != null) {
        int bits = network.length * 8;
        if (slash >= 0) {
          try {
            bits = Integer.parseInt(host.substring(slash + 1));
          } catch (NumberFormatException e) {
            bits = -1;
          }
          if (bits < 0 || bits > network.length * 8) {
            return new NoProxy(host, null, 0, port); // not a network: compared as a name (matches nothing real)
          }
        }
        return new NoProxy(null, network, bits, port);
      }
      return new NoProxy(host.startsWith(".") ? host.substring(1) : host, null, 0, port);
    }

    boolean matches(String host, int targetPort) {
      if (port >= 0 && port != targetPort) {
        return false;
      }
      if (network != null) {
        byte[] address = literal(host);
        return address != null && address.length == network.length && inNetwork(address);
      }
      return domain.isEmpty() || host.equals(domain) || host.endsWith("." + domain);
    }

    private boolean inNetwork(byte[] address) {
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }

    private static int portOf(String text) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** The bytes of an IP literal, or {@code null} for a name (never resolved). */
    private static byte[] literal(String host) {
      boolean ipv4 = !host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
          && host.chars().filter(c -> c == '.').count() == 3;
      boolean ipv6 = host.indexOf(':') >= 0 && host.chars().allMatch(c -> c == ':' || c == '.'
          || Character.digit(c, 16) >= 0);
      if (!ipv4 && !ipv6) {
        return null;
      }
      try {
        return InetAddress.getByName(host).getAddress(); // a literal: no lookup
      } catch (UnknownHostException e) {
        return null;
      }
    }
  }
}
