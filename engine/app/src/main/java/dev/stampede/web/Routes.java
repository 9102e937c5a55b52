package dev.stampede.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.stampede.config.ConfigException;
import dev.stampede.report.WebAssets;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's URLs, behind the access filters ({@link HostFilter}, {@link BasicAuthFilter},
 * {@link CsrfFilter}): the page and its assets, {@code GET /api/state}, {@code POST /api/start},
 * {@code /api/stop}, {@code /api/reset} (which drive the {@link RunControl}) and
 * {@code GET /download/NAME}.
 */
final class Routes implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  private final RunControl control;
  private final WebRunRequest defaults;

  Routes(RunControl control, WebRunRequest defaults) {
    this.control = control;
    this.defaults = defaults;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (method.equals("POST")) {
        switch (path) {
          case "/api/start" -> start(exchange);
          case "/api/stop" -> act(exchange, control::stop);
          case "/api/reset" -> act(exchange, control::reset);
          default -> Responses.sendJson(exchange, 404, Responses.error("no such action: " + path));
        }
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
        Responses.send(exchange, 405, Responses.TEXT, "method not allowed\n");
        return;
      }
      switch (path) {
        case "/", "/index.html" -> Responses.sendPage(exchange, LivePage.html());
        case "/assets/stampede.js" -> Responses.send(exchange, 200, JS, WebAssets.appJs());
        case "/assets/live.js" -> Responses.send(exchange, 200, JS, LivePage.script());
        case "/assets/stampede.css" -> Responses.send(exchange, 200, CSS, WebAssets.appCss());
        case "/assets/uPlot.min.js" -> Responses.send(exchange, 200, JS, WebAssets.uplotJs());
        case "/assets/uPlot.min.css" -> Responses.send(exchange, 200, CSS, WebAssets.uplotCss());
        case "/assets/uPlot-LICENSE.txt" -> Responses.send(exchange, 200, Responses.TEXT, WebAssets.uplotLicense());
        case "/api/state" -> sendState(exchange, 200);
        default -> {
          if (path.startsWith("/download/")) {
            Downloads.send(exchange, path.substring("/download/".length()), control.status());
          } else {
            Responses.send(exchange, 404, Responses.TEXT, "not found\n");
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("web page request {} failed: {}", exchange.getRequestURI().getPath(), WarnThenDebugLogger.describe(e));
      try {
        Responses.sendJson(exchange, 500, Responses.error("the request failed: " + WarnThenDebugLogger.describe(e)));
      } catch (IOException | RuntimeException alreadyAnswered) {
        // The answer had started; the client sees the connection close.
      }
    }
  }

  private void start(HttpExchange exchange) throws IOException {
    WebRunRequest request;
    try {
      request = StartForm.read(exchange);
    } catch (ConfigException e) {
      Responses.sendJson(exchange, 400, Responses.error(e.getMessage()));
      return;
    }
    try {
      control.start(request);
    } catch (RunControl.Conflict e) {
      Responses.sendJson(exchange, 409, Responses.error(e.getMessage()));
      return;
    } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
      Responses.sendJson(exchange, 400, Responses.error(e.getMessage()));
      return;
    } catch (RuntimeException e) {
      Responses.sendJson(exchange, 500, Responses.error("cannot start the run: " + WarnThenDebugLogger.describe(e)));
      return;
    }
    sendState(exchange, 200);
  }

  private void act(HttpExchange exchange, Runnable action) throws IOException {
    try {
      action.run();
    } catch (RunControl.Conflict e) {
      Responses.sendJson(exchange, 409, Responses.error(e.getMessage()));
      return;
    }
    sendState(exchange, 200);
  }

  private void sendState(HttpExchange exchange, int status) throws IOException {
    Responses.sendJson(exchange, status, StateView.of(control.status(), defaults));
  }
}
