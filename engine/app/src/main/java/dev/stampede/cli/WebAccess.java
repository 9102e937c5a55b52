package dev.stampede.cli;

import dev.stampede.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who may use the web page: its basic-auth credentials, from the command line, a file or the
 * environment (the last two never show in {@code ps}), and the rule that a page reachable from
 * other machines needs them.
 */
final class WebAccess {

  /** The environment variable that holds {@code user:password} for the web page. */
  static final String AUTH_ENV = "STAMPEDE_WEB_AUTH";

  private WebAccess() {}

  /**
   * The web page's {@code user:password}: {@code --web-auth}, else the first line of
   * {@code --web-auth-file}, else {@value #AUTH_ENV}; {@code null} when none is given.
   *
   * @throws ConfigException when both options are given or the file cannot be read; the message
   *     never contains the credentials
   */
  static String credentials(String option, Path file, Map<String, String> environment) {
    if (option != null && file != null) {
      throw new ConfigException("give --web-auth or --web-auth-file, not both");
    }
    if (file != null) {
      String content;
      try {
        content = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("--web-auth-file " + file + " cannot be read: " + e.getClass().getSimpleName());
      }
      String line = content.lines().findFirst().orElse("").strip();
      if (line.isEmpty()) {
        throw new ConfigException("--web-auth-file " + file + " is empty; it must hold user:password");
      }
      return line;
    }
    if (option != null) {
      return option;
    }
    String fromEnvironment = environment.get(AUTH_ENV);
    return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
  }

  /**
   * Refuses to serve the page beyond this machine without credentials, unless
   * {@code --web-allow-no-auth} says so: anyone who can reach the address could start load tests
   * against any host from it.
   */
  static void checkExposure(String bindHost, String credentials, boolean allowNoAuth) {
    if (credentials != null || allowNoAuth || loopback(bindHost)) {
      return;
    }
    throw new ConfigException("--web-host " + bindHost + " serves the page beyond this machine: give --web-auth-file FILE"
        + " or " + AUTH_ENV + "=user:password (or --web-auth), or --web-allow-no-auth to serve it to anyone");
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      // Binding will fail and say so.
      return true;
    }
  }
}
