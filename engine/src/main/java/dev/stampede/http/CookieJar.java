package dev.stampede.http;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The cookies of one session: the basics of RFC 6265 that real sessions depend on, namely name and
 * value, {@code Path}, {@code Domain}, {@code Expires}, {@code Max-Age} (which wins over
 * {@code Expires}) and {@code Secure}. {@code HttpOnly} and {@code SameSite} mean nothing to a client
 * without scripts or cross-site navigation and are ignored; there is no public-suffix list.
 *
 * <p>Not thread-safe: one jar per session, used from the user's thread.
 */
final class CookieJar {

  private final List<Cookie> cookies = new ArrayList<>();

  /** Stores the {@code Set-Cookie} values of a response to {@code target}. */
  void store(Target target, List<String> setCookies, long nowMillis) {
    for (String header : setCookies) {
      Cookie cookie = parse(target, header, nowMillis);
      if (cookie == null) {
        continue;
      }
      cookies.removeIf(c -> c.name.equals(cookie.name) && c.domain.equals(cookie.domain) && c.path.equals(cookie.path));
      if (cookie.expiresAtMillis > nowMillis) {
        cookies.add(cookie);
      }
    }
  }

  /** The {@code Cookie} header value for a request to {@code target}, or {@code null} when none apply. */
  String header(Target target, long nowMillis) {
    if (cookies.isEmpty()) {
      return null;
    }
    cookies.removeIf(c -> c.expiresAtMillis <= nowMillis);
    List<Cookie> matching = new ArrayList<>();
    for (Cookie cookie : cookies) {
      if (cookie.matches(target)) {
        matching.add(cookie);
      }
    }
    if (matching.isEmpty()) {
      return null;
    }
    // RFC 6265 section 5.4: cookies with longer paths are listed first.
    matching.sort(Comparator.comparingInt((Cookie c) -> c.path.length()).reversed());
    StringBuilder header = new StringBuilder();
    for (Cookie cookie : matching) {
      if (!header.isEmpty()) {
        header.append("; ");
      }
      header.append(cookie.name).append('=').append(cookie.value);
    }
    return header.toString();
  }

  /** The value of the cookie {@code name} that would be sent to {@code target}, or {@code null}. */
  String value(Target target, String name, long nowMillis) {
    for (Cookie cookie : cookies) {
      if (cookie.name.equals(name) && cookie.expiresAtMillis > nowMillis && cookie.matches(target)) {
        return cookie.value;
      }
    }
    return null;
  }

  /** Forgets every cookie. */
  void clear() {
    cookies.clear();
  }

  private static Cookie parse(Target target, String header, long nowMillis) {
    String[] parts = header.split(";");
    int eq = parts[0].indexOf('=');
    if (eq <= 0) {
      return null;
    }
    String name = parts[0].substring(0, eq).trim();
    String value = stripQuotes(parts[0].substring(eq + 1).trim());
    if (name.isEmpty()) {
      return null;
    }
    String domain = target.host();
    boolean hostOnly = true;
    String path = defaultPath(target.path());
    long expires = Long.MAX_VALUE;
    boolean maxAgeSeen = false;
    boolean secure = false;
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i].trim();
      int aeq = attribute.indexOf('=');
      String key = (aeq < 0 ? attribute : attribute.substring(0, aeq)).trim().toLowerCase(Locale.ROOT);
      String attributeValue = aeq < 0 ? "" : attribute.substring(aeq + 1).trim();
      switch (key) {
        case "path" -> path = attributeValue.startsWith("/") ? attributeValue : defaultPath(target.path());
        case "domain" -> {
          String d = attributeValue.startsWith(".") ? attributeValue.substring(1) : attributeValue;
          d = d.toLowerCase(Locale.ROOT);
          if (!d.isEmpty()) {
            if (!domainMatches(target.host(), d)) {
              return null; // a server may not set cookies for another domain
            }
            domain = d;
            hostOnly = false;
          }
        }
        case "max-age" -> {
          try {
            long seconds = Long.parseLong(attributeValue);
            expires = seconds <= 0 ? Long.MIN_VALUE : saturatedAdd(nowMillis, seconds * 1000);
            maxAgeSeen = true;
          } catch (NumberFormatException e) {
            // an invalid Max-Age is ignored (RFC 6265 section 5.2.2)
          }
        }
        case "expires" -> {
          if (!maxAgeSeen) {
            try {
              expires = ZonedDateTime.parse(attributeValue, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
              // an unparsable date is ignored, leaving a session cookie
            }
          }
        }
        case "secure" -> secure = true;
        default -> { }
      }
    }
    return new Cookie(name, value, domain, hostOnly, path, expires, secure);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static String stripQuotes(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }

  /** RFC 6265 section 5.1.4: the directory of the request path. */
  private static String defaultPath(String requestPath) {
    int last = requestPath.lastIndexOf('/');
    return last <= 0 ? "/" : requestPath.substring(0, last);
  }

  private static boolean domainMatches(String host, String domain) {
    return host.equals(domain) || (host.endsWith("." + domain) && !isIpAddress(host));
  }

  private static boolean isIpAddress(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private record Cookie(String name, String value, String domain, boolean hostOnly, String path, long expiresAtMillis,
      boolean secure) {

    boolean matches(Target target) {
      boolean domainOk = hostOnly ? target.host().equals(domain) : domainMatches(target.host(), domain);
      return domainOk && pathMatches(target.path()) && (!secure || target.https());
    }

    private boolean pathMatches(String requestPath) {
      if (requestPath.equals(path)) {
        return true;
      }
      return requestPath.startsWith(path) && (path.endsWith("/") || requestPath.charAt(path.length()) == '/');
    }
  }
}
