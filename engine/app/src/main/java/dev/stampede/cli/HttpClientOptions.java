package dev.stampede.cli;

import dev.stampede.http.HttpSession;
import dev.stampede.http.HttpVersion;
import dev.stampede.http.Proxies;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options of {@code stampede run} that shape every user's HTTP client: one place for them, so
 * the run command does not grow one field per client setting. Applied by {@link HttpClients}.
 */
final class HttpClientOptions {

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "60s",
      description = "How long a response may take, from sending the request to its last byte, redirects included;"
          + " a request may set its own. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
      description = "How long opening a connection (TCP, and the TLS handshake) may take. Default: ${DEFAULT-VALUE}.")
  Duration connectTimeout;

  @Option(names = "--proxy", paramLabel = "URL",
      description = "The HTTP proxy for every request, http://[user:password@]host[:port]; https goes through it"
          + " with CONNECT. Default: -Dhttp(s).proxyHost, else the environment's http_proxy, https_proxy, all_proxy"
          + " (and upper-case forms) with no_proxy.")
  String proxy;

  @Option(names = "--no-proxy", paramLabel = "LIST",
      description = "Hosts reached without the proxy: comma-separated names (and their subdomains), addresses,"
          + " networks (10.0.0.0/8), name:port, or * for all. Default: the environment's no_proxy.")
  String noProxy;

  @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "4MB",
      description = "The largest response body kept for the scenario to read (text(), json(), checks), as it"
          + " arrives and decoded; longer bodies are read to the end, counted and dropped. Bytes, or with"
          + " KB/MB/GB (1024-based). Default: ${DEFAULT-VALUE}.")
  String maxBody;

  @Option(names = "--accept-encoding", paramLabel = "VALUE", defaultValue = HttpSession.DEFAULT_ACCEPT_ENCODING,
      description = "The Accept-Encoding header every request sends; gzip and deflate bodies are decoded when"
          + " read. Default: ${DEFAULT-VALUE}.")
  String acceptEncoding;

  @Option(names = "--http-version", paramLabel = "VERSION", defaultValue = "auto",
      description = "auto: HTTP/2 where an https server offers it by ALPN, else HTTP/1.1; 1.1: HTTP/1.1 only;"
          + " 2: HTTP/2 only (https by ALPN; http:// as h2c with prior knowledge). Default: ${DEFAULT-VALUE}.")
  String httpVersion;

  @Option(names = "--no-compression",
      description = "Send no Accept-Encoding header: servers answer uncompressed.")
  boolean noCompression;

  /**
   * The proxies: {@code --proxy} (with {@code --no-proxy}, else {@code no_proxy}) when given, else those of
   * {@code properties} and {@code environment}; {@code --no-proxy} alone applies to the
   * environment's proxy. Adds a problem (never showing credentials) and returns no proxy when a
   * setting is not a valid proxy.
   */
  Proxies proxies(Map<String, String> environment, Properties properties, List<String> problems) {
    try {
      Map<String, String> env = environment;
      if (noProxy != null) {
        env = new HashMap<>(environment);
        env.keySet().removeIf(name -> name.equalsIgnoreCase("no_proxy"));
        env.put("no_proxy", noProxy);
      }
      if (proxy != null) {
        String list = noProxy != null ? noProxy : env.getOrDefault("no_proxy", env.get("NO_PROXY"));
        return Proxies.of(proxy, list);
      }
      return Proxies.fromEnvironment(env, properties);
    } catch (IllegalArgumentException e) {
      problems.add((proxy != null ? "--" : "") + e.getMessage());
      return Proxies.none();
    }
  }

  /** Adds a problem for each timeout that is not positive, and for an unknown {@code --http-version}. */
  void checkTimeouts(List<String> problems) {
    try {
      HttpVersion.parse(httpVersion);
    } catch (IllegalArgumentException e) {
      problems.add("--http-version must be auto, 1.1 or 2 but was " + httpVersion);
    }
    if (timeout.isZero() || timeout.isNegative()) {
      problems.add("--timeout must be > 0 but was " + timeout);
    }
    if (connectTimeout.isZero() || connectTimeout.isNegative()) {
      problems.add("--connect-timeout must be > 0 but was " + connectTimeout);
    }
  }

  /** Applies the options that need no checking beyond their own (timeouts, version) to a user's session. */
  void apply(HttpSession.Builder session) {
    session.responseTimeout(timeout).connectTimeout(connectTimeout).httpVersion(HttpVersion.parse(httpVersion));
  }

  /** The keep limit in bytes; adds a problem and returns the default when {@link #maxBody} is not a size. */
  long maxBodyBytes(List<String> problems) {
    try {
      long bytes = parseSize(maxBody);
      if (bytes > HttpSession.MAX_BODY_KEPT_LIMIT) {
        problems.add("--max-body must be at most " + HttpSession.MAX_BODY_KEPT_LIMIT + " bytes but was " + maxBody);
      } else {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      problems.add("--max-body must be a size such as 512KB, 4MB or 1048576 but was " + maxBody);
    }
    return HttpSession.DEFAULT_MAX_BODY_KEPT;
  }

  /** The Accept-Encoding header to send, or {@code null} for none. */
  String acceptEncodingHeader() {
    return noCompression || acceptEncoding.isBlank() ? null : acceptEncoding;
  }

  /** Bytes from {@code 1048576}, {@code 512KB}, {@code 4MB}, {@code 1GB} (1024-based, case-insensitive). */
  static long parseSize(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (s.endsWith("KB") || s.endsWith("MB") || s.endsWith("GB")) {
      unit = switch (s.charAt(s.length() - 2)) {
        case 'K' -> 1024L;
        case 'M' -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      };
      s = s.substring(0, s.length() - 2).trim();
    } else if (s.endsWith("B")) {
      s = s.substring(0, s.length() - 1).trim();
    }
    long value = Long.parseLong(s);
    if (value < 0 || value > Long.MAX_VALUE / unit) {
      throw new IllegalArgumentException("size out of range: " + text);
    }
    return value * unit;
  }
}
