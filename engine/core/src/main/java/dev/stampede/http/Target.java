package dev.stampede.http;

import java.net.URI;
import java.util.Locale;

/**
 * Where one request goes: the origin (scheme, host, port), the {@code Host} header and the
 * request-target of the request line.
 *
 * @param https whether the scheme is {@code https}
 * @param host the host name or address, without the brackets of an IPv6 literal
 * @param port the port, with the scheme's default filled in
 * @param hostHeader the {@code Host} header value ({@code host} or {@code host:port})
 * @param requestTarget the raw path and query sent on the request line, e.g. {@code /a/b?c=d}
 * @param path the raw path without query, used for cookie path matching
 * @param origin {@code scheme://host:port}, the key of the session's keep-alive connection
 * @param basicAuth the {@code Authorization} header value made of the URL's user information
 *     ({@code http://user:password@host/}), or {@code null}; never part of {@link #url()}
 */
record Target(boolean https, String host, int port, String hostHeader, String requestTarget, String path,
    String origin, String basicAuth) {

  /** The scheme name, {@code http} or {@code https}. */
  String scheme() {
    return https ? "https" : "http";
  }

  /** The full URL, for messages and for resolving redirects. */
  URI uri() {
    return URI.create(url());
  }

  /** The full URL as text, e.g. {@code http://127.0.0.1:8080/a?b=c} (no URI parsing). */
  String url() {
    return origin + requestTarget;
  }

  /**
   * Parses an absolute {@code http} or {@code https} URL.
   *
   * @throws IllegalArgumentException for another scheme or no host; the message never shows the
   *     URL's credentials
   */
  static Target of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("url must be http or https but was " + Urls.redact(uri.toString()));
    }
    String rawHost = uri.getHost();
    if (rawHost == null || rawHost.isEmpty()) {
      throw new IllegalArgumentException("url must have a host but was " + Urls.redact(uri.toString()));
    }
    boolean https = scheme.equals("https");
    int defaultPort = https ? 443 : 80;
    int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
    String host = rawHost.startsWith("[") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
    String hostHeader = port == defaultPort ? rawHost : rawHost + ":" + port;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestTarget = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new Target(https, host.toLowerCase(Locale.ROOT), port, hostHeader, requestTarget, path,
        scheme + "://" + rawHost.toLowerCase(Locale.ROOT) + ":" + port, Urls.basicAuthorization(uri.getRawUserInfo()));
  }

  /** Never shows the credentials. */
  @Override
  public String toString() {
    return "Target[" + url() + (basicAuth == null ? "" : ", with credentials") + "]";
  }

  /** The same origin with another request-target; {@code relative} starts with {@code /}. */
  Target withRequestTarget(String relative) {
    int query = relative.indexOf('?');
    String p = query < 0 ? relative : relative.substring(0, query);
    return new Target(https, host, port, hostHeader, relative, p.isEmpty() ? "/" : p, origin, basicAuth);
  }
}
