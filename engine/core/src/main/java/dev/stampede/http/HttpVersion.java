package dev.stampede.http;

/**
 * Which HTTP version a user's client speaks (CLI {@code --http-version}). Whatever the choice, a
 * request through a plain-HTTP forward proxy speaks HTTP/1.1.
 */
public enum HttpVersion {

  /**
   * HTTP/2 where an {@code https} server offers it by ALPN (as browsers and k6 do), HTTP/1.1
   * otherwise and for {@code http://}. The default.
   */
  AUTO(TlsClient.H2_AND_HTTP11),

  /** HTTP/1.1 only: ALPN offers {@code http/1.1} alone, so no server picks {@code h2}. */
  HTTP_1_1(TlsClient.HTTP11),

  /**
   * HTTP/2 only: on {@code https} ALPN offers {@code h2} alone and a server that does not pick it
   * fails the request; on {@code http://} the client speaks h2c with prior knowledge (RFC 9113
   * section 3.3), without an upgrade.
   */
  HTTP_2(new String[] {"h2"});

  private final String[] alpn;

  HttpVersion(String[] alpn) {
    this.alpn = alpn;
  }

  /** The protocols ALPN offers, most preferred first. */
  String[] alpn() {
    return alpn.clone();
  }

  /**
   * The version for its command-line name: {@code auto}, {@code 1.1} or {@code 2}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static HttpVersion parse(String name) {
    return switch (name.trim()) {
      case "auto" -> AUTO;
      case "1.1" -> HTTP_1_1;
      case "2" -> HTTP_2;
      default -> throw new IllegalArgumentException("HTTP version must be auto, 1.1 or 2 but was " + name);
    };
  }
}
