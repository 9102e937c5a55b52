package dev.stampede.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names the web page answers to, checked against every request's {@code Host} header whatever
 * address the page is bound to.
 *
 * <p>Why: a web site can point a DNS name of its own at this machine's address (DNS rebinding); the
 * browser then treats the page as that site's and lets its script call the API, Host header and
 * all. The check turns such requests away (421): they carry the attacker's name, never one of these.
 * Allowed are loopback names ({@code localhost}, {@code *.localhost}, {@code 127.x.x.x},
 * {@code [::1]}), IP address literals (a page reached by its address belongs to that address's
 * origin, which no other site can script), and the names given with {@code --web-allowed-host}.
 * {@code *} allows any name, turning the check off.
 */
final class HostAllowList {

  private final Set<String> names;
  private final boolean any;

  private HostAllowList(Set<String> names, boolean any) {
    this.names = names;
    this.any = any;
  }

  /** Loopback names, IP literals and {@code extra} (names, without port; {@code *} for any). */
  static HostAllowList of(List<String> extra) {
    Set<String> names = new TreeSet<>();
    boolean any = false;
    for (String name : extra) {
      String normal = name.trim().toLowerCase(Locale.ROOT);
      if (normal.equals("*")) {
        any = true;
      } else if (!normal.isEmpty()) {
        names.add(normal);
      }
    }
    return new HostAllowList(Set.copyOf(names), any);
  }

  /** Whether a request with this {@code Host} header (name or address, optional port) is answered. */
  boolean allows(String hostHeader) {
    if (any) {
      return true;
    }
    if (hostHeader == null) {
      return false;
    }
    String name = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      // An IPv6 literal: only an address can be written in brackets.
      return end > 1 && name.substring(1, end).matches("[0-9a-f:.]+") && (end == name.length() - 1
          || name.substring(end + 1).matches(":\\d{1,5}"));
    }
    int colon = name.indexOf(':');
    if (colon >= 0) {
      if (!name.substring(colon + 1).matches("\\d{1,5}")) {
        return false;
      }
      name = name.substring(0, colon);
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.equals("localhost") || name.endsWith(".localhost") || isIpv4Literal(name) || names.contains(name);
  }

  private static boolean isIpv4Literal(String name) {
    if (!name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    for (String part : name.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** The names given beyond the built-in ones, for the start-up line. */
  Set<String> extraNames() {
    return names;
  }
}
