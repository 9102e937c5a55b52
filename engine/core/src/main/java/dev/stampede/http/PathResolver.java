package dev.stampede.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the paths and URLs of requests into targets against one base URL, and remembers them for
 * every session that shares it: all users of a run request the same few paths.
 *
 * <p>Why: each session parsed its base URL and made a target and a URL string for every path it
 * requested, again whenever it switched paths, so a user that alternates two tasks made new ones on
 * every request, and each waiting user kept its own copies (about 0.4 KB). Bounded: paths beyond
 * {@link #MAX_REMEMBERED} (say, ids in query strings) are resolved each time instead.
 */
public final class PathResolver {

  static final int MAX_REMEMBERED = 1024;

  /** A target and its URL as results carry it, made once. */
  record Resolved(Target target, String url) {}

  private final Target base;
  /** The base URL's path without a trailing slash, prefixed to relative paths. */
  private final String basePath;
  private final ConcurrentHashMap<String, Resolved> remembered = new ConcurrentHashMap<>();

  private PathResolver(Target base) {
    this.base = base;
    String path = base == null ? "" : base.path();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * A resolver against {@code baseUrl}, or for absolute URLs only when it is {@code null}.
   *
   * @throws IllegalArgumentException when the base URL is not http(s) or has no host
   */
  public static PathResolver forBase(URI baseUrl) {
    return new PathResolver(baseUrl == null ? null : Target.of(parse(Urls.encode("base URL", baseUrl.toString()))));
  }

  Resolved resolve(String path) {
    Resolved resolved = remembered.get(path);
    if (resolved == null) {
      Target target = targetOf(path);
      resolved = new Resolved(target, target.url());
      if (remembered.size() < MAX_REMEMBERED) {
        remembered.putIfAbsent(path, resolved);
      }
    }
    return resolved;
  }

  private Target targetOf(String path) {
    if (path.regionMatches(true, 0, "http://", 0, 7) || path.regionMatches(true, 0, "https://", 0, 8)) {
      return Target.of(parse(Urls.encode("url", path)));
    }
    if (base == null) {
      throw new IllegalStateException("path " + path + " needs a base URL (--host) or must be an absolute URL");
    }
    String encoded = Urls.encode("path", path);
    int fragment = encoded.indexOf('#');
    String relative = fragment < 0 ? encoded : encoded.substring(0, fragment);
    return base.withRequestTarget(basePath + (relative.startsWith("/") ? relative : "/" + relative));
  }

  /** {@link URI#create}, with a message that never shows the URL's credentials. */
  static URI parse(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url " + Urls.redact(url) + " is not a valid URL: " + e.getReason()
          + " at index " + e.getIndex());
    }
  }
}
