package dev.stampede.web;

import com.sun.net.httpserver.HttpExchange;
import dev.stampede.config.ConfigException;
import dev.stampede.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start form ({@code POST /api/start}, {@code application/x-www-form-urlencoded}: users,
 * spawn_rate, host, run_time) read and checked into a {@link WebRunRequest}. Every problem is
 * reported at once, naming the field, the value and the rule, as a {@link ConfigException} whose
 * text the page shows.
 */
final class StartForm {

  /** The largest form read; a larger one is refused unread. */
  static final int MAX_BYTES = 16 * 1024;

  private StartForm() {}

  /** The request's form, checked. */
  static WebRunRequest read(HttpExchange exchange) throws IOException {
    return parse(fields(exchange));
  }

  /** The form's values, checked; every problem at once, naming the field, the value and the rule. */
  static WebRunRequest parse(Map<String, String> form) {
    List<String> problems = new ArrayList<>();
    int users = 0;
    String usersText = form.getOrDefault("users", "");
    try {
      users = Integer.parseInt(usersText);
      if (users < 1) {
        problems.add("users must be a whole number >= 1 but was " + usersText);
      }
    } catch (NumberFormatException e) {
      problems.add("users must be a whole number >= 1 but was '" + usersText + "'");
    }
    double spawnRate = 0;
    String rateText = form.getOrDefault("spawn_rate", "");
    try {
      spawnRate = Double.parseDouble(rateText);
      if (!(spawnRate > 0) || Double.isInfinite(spawnRate)) {
        problems.add("spawn rate must be a number > 0 but was " + rateText);
      }
    } catch (NumberFormatException e) {
      problems.add("spawn rate must be a number > 0 but was '" + rateText + "'");
    }
    String host = form.getOrDefault("host", "");
    if (!host.isEmpty() && !isHttpUrl(host)) {
      problems.add("host " + host + " must be an http:// or https:// URL with a host");
    }
    Duration runTime = null;
    String runTimeText = form.getOrDefault("run_time", "");
    if (!runTimeText.isEmpty()) {
      try {
        runTime = Durations.parse(runTimeText);
        if (runTime.isZero()) {
          problems.add("run time must be > 0 but was " + runTimeText);
        }
      } catch (IllegalArgumentException e) {
        problems.add("run time " + runTimeText + " " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new WebRunRequest(users, spawnRate, host.isEmpty() ? null : host, runTime);
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The decoded fields, values trimmed; a form over {@link #MAX_BYTES} is a {@link ConfigException}. */
  private static Map<String, String> fields(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BYTES + 1);
    }
    if (body.length > MAX_BYTES) {
      throw new ConfigException("the form is larger than " + MAX_BYTES + " bytes");
    }
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      form.put(key, value.trim());
    }
    return form;
  }
}
