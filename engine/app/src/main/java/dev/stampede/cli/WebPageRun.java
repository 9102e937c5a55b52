package dev.stampede.cli;

import dev.stampede.merge.ShardInfo;
import dev.stampede.web.WebRunRequest;
import dev.stampede.web.WebUi;
import java.io.IOException;
import java.io.PrintWriter;
import dev.stampede.config.ConfigException;
import java.util.Map;

/**
 * {@code stampede run --web}: serves the live page until it is closed (Ctrl-C). Each run the page
 * starts is planned from the command line's options with the form's users, spawn rate, host and run
 * time laid over them, and writes the same result files a headless run would.
 */
final class WebPageRun {

  private final WebOptions web;
  private final LoadOptions load;
  private final String host;
  private final OutputOptions output;
  private final Map<String, String> environment;

  /**
   * @param host the command line's {@code --host}, the form's first value; null for none
   * @param environment where {@code STAMPEDE_WEB_AUTH} is read
   */
  WebPageRun(WebOptions web, LoadOptions load, String host, OutputOptions output, Map<String, String> environment) {
    this.web = web;
    this.load = load;
    this.host = host;
    this.output = output;
    this.environment = environment;
  }

  /**
   * Serves the page until it is closed, and returns {@link ExitCode#PASSED}.
   *
   * @throws ConfigException when the credentials are malformed, or the page would be served beyond
   *     this machine without them
   * @throws CannotRunException when the address cannot be bound
   */
  int serve(RunPlanner planner, ResultOutputs outputs, PrintWriter out) {
    int defaultUsers = load.users != null ? load.users : 1;
    String credentials = WebAccess.credentials(web.webAuth, web.webAuthFile, environment);
    WebAccess.checkExposure(web.webHost, credentials, web.webAllowNoAuth);
    WebUi page;
    try {
      page = WebUi.builder().host(web.webHost).port(web.webPort).auth(credentials).allowedHosts(web.webAllowedHosts)
          .defaults(new WebRunRequest(defaultUsers, load.spawnRate != null ? load.spawnRate : defaultUsers, host,
              load.runTime))
          .runStarter(request -> planner.plan(request).builder().build())
          .kpis(outputs::kpiRows)
          .onFinished(outcome -> {
            outputs.writeResults(outcome, ShardInfo.WHOLE, output.json, output.csv);
            outputs.writeHtml(outcome, output.html);
          })
          .build().start();
    } catch (IOException e) {
      throw new CannotRunException("cannot serve the web page on " + web.webHost + ":" + web.webPort + ": "
          + e.getMessage(), e);
    }
    out.println("Stampede web page on " + page.url() + " (Ctrl-C to quit)");
    out.flush();
    Thread hook = new Thread(page::close, "stampede-web-close");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      page.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      page.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down: the hook is closing the page.
      }
    }
    return ExitCode.PASSED;
  }
}
