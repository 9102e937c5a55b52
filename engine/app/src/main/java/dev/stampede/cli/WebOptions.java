package dev.stampede.cli;

import dev.stampede.web.WebUi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --web}: the live page instead of a headless run, where it listens, who may use it and by
 * which names it is reached. {@code --headless} says the default out loud.
 */
final class WebOptions {

  @Option(names = "--web", description = "Serves a live web page to start, watch and stop runs instead of running headless.")
  boolean web;

  @Option(names = "--headless",
      description = "Runs without the web page: the default, so it changes nothing; kept for scripts written for"
          + " Locust, where it turns the web UI off. Refused with --web (exit 2).")
  boolean headless;

  @Option(names = "--web-host", paramLabel = "HOST", defaultValue = WebUi.DEFAULT_HOST,
      description = "The address the web page binds to. Default: ${DEFAULT-VALUE}.")
  String webHost;

  @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "" + WebUi.DEFAULT_PORT,
      description = "The web page's port (0: a free one). Default: ${DEFAULT-VALUE}.")
  int webPort;

  @Option(names = "--web-auth", paramLabel = "USER:PASSWORD",
      description = "Basic authentication for the web page (shows in ps: prefer --web-auth-file or STAMPEDE_WEB_AUTH).")
  String webAuth;

  @Option(names = "--web-auth-file", paramLabel = "FILE", description = "The web page's USER:PASSWORD, the file's first line.")
  Path webAuthFile;

  @Option(names = "--web-allowed-host", paramLabel = "NAME", split = ",",
      description = "A name the web page is reached by (its Host header), beyond localhost and IP addresses; * for any.")
  List<String> webAllowedHosts = new ArrayList<>();

  @Option(names = "--web-allow-no-auth",
      description = "Serves the web page beyond this machine (--web-host 0.0.0.0) without authentication.")
  boolean webAllowNoAuth;
}
