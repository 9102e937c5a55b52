package dev.stampede.http;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
            long date = parseDate(attributeValue);
            if (date != NO_DATE) {
              expires = date; // an unparsable date is ignored, leaving a session cookie
            }
          }
        }
        case "secure" -> secure = true;
        default -> { }
      }
    }
    return new Cookie(name, value, domain, hostOnly, path, expires, secure);
  }

  /** What {@link #parseDate} returns for a value that is no cookie date. */
  static final long NO_DATE = Long.MIN_VALUE + 1;

  private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
      "nov", "dec"};

  /**
   * An {@code Expires} value in milliseconds since the epoch, or {@link #NO_DATE}, by the lenient
   * algorithm of RFC 6265 section 5.1.1 that browsers use: the value is cut into tokens at any
   * delimiter, and the first token that looks like a time ({@code hh:mm:ss}), a day of the month, a
   * month name and a year is taken for each, in that order of trying. So {@code Thu, 01-Jan-1970
   * 00:00:00 GMT}, {@code Sunday, 06-Nov-94 08:49:37 GMT} and {@code Sun Nov  6 08:49:37 1994} all
   * parse. Two-digit years 70 to 99 are 1970 to 1999, 00 to 69 are 2000 to 2069. The time is UTC
   * whatever zone the value names.
   */
  static long parseDate(String value) {
    int hour = -1;
    int minute = -1;
    int second = -1;
    int day = -1;
    int month = -1;
    int year = -1;
    int i = 0;
    int length = value.length();
    while (i < length) {
      while (i < length && isDateDelimiter(value.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < length && !isDateDelimiter(value.charAt(i))) {
        i++;
      }
      if (start == i) {
        break;
      }
      String token = value.substring(start, i);
      int[] time;
      if (hour < 0 && (time = time(token)) != null) {
        hour = time[0];
        minute = time[1];
        second = time[2];
      } else if (day < 0 && leadingDigits(token, 1, 2) >= 0) {
        day = leadingDigits(token, 1, 2);
      } else if (month < 0 && monthOf(token) >= 0) {
        month = monthOf(token);
      } else if (year < 0 && leadingDigits(token, 2, 4) >= 0) {
        year = leadingDigits(token, 2, 4);
      }
    }
    if (year >= 70 && year <= 99) {
      year += 1900;
    } else if (year >= 0 && year <= 69) {
      year += 2000;
    }
    if (hour < 0 || day < 1 || day > 31 || month < 0 || year < 1601 || hour > 23 || minute > 59 || second > 59) {
      return NO_DATE;
    }
    try {
      return LocalDateTime.of(year, month + 1, day, hour, minute, second).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeException e) {
      return NO_DATE; // e.g. 31 February
    }
  }

  /** RFC 6265 section 5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. */
  private static boolean isDateDelimiter(char c) {
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) || (c >= 0x5b && c <= 0x60)
        || (c >= 0x7b && c <= 0x7e);
  }

  /** {@code hms-time = time-field ":" time-field ":" time-field} (1 or 2 digits each), anything after. */
  private static int[] time(String token) {
    int[] fields = new int[3];
    int i = 0;
    for (int f = 0; f < 3; f++) {
      int start = i;
      int n = 0;
      while (i < token.length() && i - start < 2 && isDigit(token.charAt(i))) {
        n = n * 10 + token.charAt(i++) - '0';
      }
      if (i == start || (f < 2 && (i >= token.length() || token.charAt(i++) != ':'))) {
        return null;
      }
      fields[f] = n;
    }
    return i == token.length() || !isDigit(token.charAt(i)) ? fields : null;
  }

  /** The number made of {@code min} to {@code max} leading digits not followed by another digit, or -1. */
  private static int leadingDigits(String token, int min, int max) {
    int n = 0;
    int i = 0;
    while (i < token.length() && isDigit(token.charAt(i))) {
      if (i == max) {
        return -1;
      }
      n = n * 10 + token.charAt(i++) - '0';
    }
    return i >= min ? n : -1;
  }

  private static int monthOf(String token) {
    if (token.length() < 3) {
      return -1;
    }
    String prefix = token.substring(0, 3).toLowerCase(Locale.ROOT);
    for (int m = 0; m < MONTHS.length; m++) {
      if (MONTHS[m].equals(prefix)) {
        return m;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
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
