package dev.stampede.http;

import java.net.IDN;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * URL text as the client needs it: percent-encoding what a URI may not contain, resolving
 * references by RFC 3986, and hiding credentials.
 *
 * <p>Encoding rule (the same for absolute URLs, relative paths and redirect targets): a character
 * a URI may not contain is percent-encoded as UTF-8, namely non-ASCII characters, the space and
 * {@code " < > \ ^ ` { | }}; everything else, {@code %} escapes included, is sent exactly as given,
 * so an already encoded URL is never encoded twice. Control characters are refused: they have no
 * meaning in a URL and usually mean a bug in the scenario. A non-ASCII host name is converted to its
 * ASCII (punycode) form.
 */
public final class Urls {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** What {@link #redact} puts in place of a URL's user information. */
  static final String REDACTED = "***";

  private Urls() {}

  /**
   * {@code url} with its user information ({@code user:password@}) replaced by {@code ***@}, for
   * anything shown or stored: logs, messages, results, reports. Anything that is not a URL with
   * user information is returned as it is; {@code null} gives {@code null}.
   */
  public static String redact(String url) {
    int at = userInfoEnd(url);
    return at < 0 ? url : url.substring(0, url.indexOf("://") + 3) + REDACTED + url.substring(at);
  }

  /** {@code url} without its user information, e.g. as a result's name. */
  static String withoutUserInfo(String url) {
    int at = userInfoEnd(url);
    return at < 0 ? url : url.substring(0, url.indexOf("://") + 3) + url.substring(at + 1);
  }

  /** The index of the {@code @} that ends an absolute URL's user information, or -1. */
  private static int userInfoEnd(String url) {
    int authorityStart = url == null ? -1 : schemeEnd(url);
    if (authorityStart < 0) {
      return -1;
    }
    int authorityEnd = authorityEnd(url, authorityStart);
    int at = url.lastIndexOf('@', authorityEnd - 1);
    return at < authorityStart ? -1 : at;
  }

  /** The index after {@code scheme://} when {@code url} starts with one, else -1. */
  private static int schemeEnd(String url) {
    int i = 0;
    while (i < url.length() && (Character.isLetterOrDigit(url.charAt(i)) && url.charAt(i) < 0x80
        || url.charAt(i) == '+' || url.charAt(i) == '-' || url.charAt(i) == '.')) {
      i++;
    }
    return i > 0 && url.startsWith("://", i) ? i + 3 : -1;
  }

  /**
   * The {@code Basic} credentials of a URL's raw user information, percent-decoded as UTF-8 (as curl
   * does: {@code p%40ss} is the password {@code p@ss}; a user without {@code :} has an empty
   * password); {@code null} when there is none. A malformed escape gives an error that does not
   * show the credentials.
   */
  static String basicAuthorization(String rawUserInfo) {
    if (rawUserInfo == null || rawUserInfo.isEmpty()) {
      return null;
    }
    String credentials;
    try {
      credentials = URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the credentials of a URL are not validly percent-encoded");
    }
    if (credentials.indexOf(':') < 0) {
      credentials += ":";
    }
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Percent-encodes what a URI may not contain (see the class comment).
   *
   * @param what names the value in the error message, e.g. {@code url}
   * @throws IllegalArgumentException for a control character
   */
  static String encode(String what, String url) {
    int first = firstToEncode(what, url);
    if (first < 0) {
      return url;
    }
    StringBuilder out = new StringBuilder(url.length() + 16);
    int start = 0;
    int authorityStart = schemeEnd(url);
    if (authorityStart > 0 && first >= authorityStart) {
      int authorityEnd = authorityEnd(url, authorityStart);
      if (first < authorityEnd) {
        out.append(url, 0, authorityStart).append(asciiAuthority(what, url.substring(authorityStart, authorityEnd)));
        start = authorityEnd;
      }
    }
    for (int i = start; i < url.length(); ) {
      int c = url.codePointAt(i);
      if (mustEncode(c)) {
        for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
      } else {
        out.append((char) c);
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /**
   * A {@code Location} header value as URI text: the header arrives as bytes (held as ISO-8859-1
   * characters), and bytes outside ASCII are percent-encoded as they are, which is the UTF-8
   * encoding a browser would make of a UTF-8 {@code Location}.
   */
  static String encodeLocation(String latin1) {
    StringBuilder out = null;
    for (int i = 0; i < latin1.length(); i++) {
      char c = latin1.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("control character in Location");
      }
      if (c > 0x7f || mustEncode(c)) {
        if (out == null) {
          out = new StringBuilder(latin1.length() + 16).append(latin1, 0, i);
        }
        out.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? latin1 : out.toString();
  }

  /**
   * Resolves {@code reference} against the absolute {@code base} by RFC 3986 section 5.2 (strict
   * parser: a reference with a scheme is absolute). {@link java.net.URI#resolve} implements RFC 2396
   * instead, which among other things sends a query-only reference ({@code ?page=2}) from
   * {@code /list} to {@code /?page=2}, not to {@code /list?page=2}.
   */
  static String resolve(String base, String reference) {
    Parts b = Parts.of(base);
    Parts r = Parts.of(reference);
    String scheme;
    String authority;
    String path;
    String query;
    if (r.scheme != null) {
      scheme = r.scheme;
      authority = r.authority;
      path = removeDotSegments(r.path);
      query = r.query;
    } else {
      scheme = b.scheme;
      if (r.authority != null) {
        authority = r.authority;
        path = removeDotSegments(r.path);
        query = r.query;
      } else {
        authority = b.authority;
        if (r.path.isEmpty()) {
          path = b.path;
          query = r.query != null ? r.query : b.query;
        } else {
          path = removeDotSegments(r.path.startsWith("/") ? r.path : merge(b, r.path));
          query = r.query;
        }
      }
    }
    StringBuilder out = new StringBuilder();
    if (scheme != null) {
      out.append(scheme).append(':');
    }
    if (authority != null) {
      out.append("//").append(authority);
    }
    out.append(path);
    if (query != null) {
      out.append('?').append(query);
    }
    if (r.fragment != null) {
      out.append('#').append(r.fragment);
    }
    return out.toString();
  }

  /** RFC 3986 section 5.2.3. */
  private static String merge(Parts base, String path) {
    if (base.authority != null && base.path.isEmpty()) {
      return "/" + path;
    }
    int slash = base.path.lastIndexOf('/');
    return base.path.substring(0, slash + 1) + path;
  }

  /** RFC 3986 section 5.2.4. */
  static String removeDotSegments(String path) {
    if (path.indexOf('.') < 0) {
      return path;
    }
    String in = path;
    StringBuilder out = new StringBuilder(path.length());
    while (!in.isEmpty()) {
      if (in.startsWith("../")) {
        in = in.substring(3);
      } else if (in.startsWith("./")) {
        in = in.substring(2);
      } else if (in.startsWith("/./")) {
        in = in.substring(2);
      } else if (in.equals("/.")) {
        in = "/";
      } else if (in.startsWith("/../")) {
        in = in.substring(3);
        removeLastSegment(out);
      } else if (in.equals("/..")) {
        in = "/";
        removeLastSegment(out);
      } else if (in.equals(".") || in.equals("..")) {
        in = "";
      } else {
        int next = in.indexOf('/', in.startsWith("/") ? 1 : 0);
        if (next < 0) {
          next = in.length();
        }
        out.append(in, 0, next);
        in = in.substring(next);
      }
    }
    return out.toString();
  }

  private static void removeLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(Math.max(slash, 0));
  }

  /** The components of a URI reference, by the regular expression of RFC 3986 appendix B. */
  private record Parts(String scheme, String authority, String path, String query, String fragment) {

    static Parts of(String s) {
      int end = s.indexOf('#');
      String fragment = end < 0 ? null : s.substring(end + 1);
      if (end < 0) {
        end = s.length();
      }
      int i = 0;
      String scheme = null;
      int colon = indexOfAny(s, ":/?#", 0, end);
      if (colon > 0 && colon < end && s.charAt(colon) == ':') {
        scheme = s.substring(0, colon);
        i = colon + 1;
      }
      String authority = null;
      if (s.startsWith("//", i)) {
        int authorityEnd = indexOfAny(s, "/?#", i + 2, end);
        authority = s.substring(i + 2, authorityEnd);
        i = authorityEnd;
      }
      int question = s.indexOf('?', i);
      if (question < 0 || question > end) {
        return new Parts(scheme, authority, s.substring(i, end), null, fragment);
      }
      return new Parts(scheme, authority, s.substring(i, question), s.substring(question + 1, end), fragment);
    }
  }

  private static int indexOfAny(String s, String chars, int from, int end) {
    for (int i = from; i < end; i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return end;
  }

  private static int authorityEnd(String url, int authorityStart) {
    return indexOfAny(url, "/?#", authorityStart, url.length());
  }

  private static int firstToEncode(String what, String url) {
    int first = -1;
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(what + " must not contain control characters but had U+"
            + String.format(Locale.ROOT, "%04X", (int) c) + " at index " + i + ": " + redact(url));
      }
      if (first < 0 && mustEncode(c)) {
        first = i;
      }
    }
    return first;
  }

  private static boolean mustEncode(int c) {
    return c > 0x7e || c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`'
        || c == '{' || c == '|' || c == '}';
  }

  /** The authority with a non-ASCII host converted to ASCII and other non-ASCII percent-encoded. */
  private static String asciiAuthority(String what, String authority) {
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? "" : encode(what, authority.substring(0, at)) + "@";
    String hostPort = authority.substring(at + 1);
    if (hostPort.startsWith("[")) {
      return userInfo + hostPort; // an IPv6 literal: ASCII already
    }
    int colon = hostPort.lastIndexOf(':');
    boolean hasPort = colon >= 0;
    String host = hasPort ? hostPort.substring(0, colon) : hostPort;
    try {
      return userInfo + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) + (hasPort ? hostPort.substring(colon) : "");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " has a host that is not a valid domain name: " + host, e);
    }
  }
}
