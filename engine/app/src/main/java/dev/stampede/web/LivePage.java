package dev.stampede.web;

import dev.stampede.report.WebAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The live page's own files: {@code index.html} (the start form, buttons and downloads around the
 * run view, whose markup, script and style come from {@link WebAssets}) and {@code live.js} (which
 * polls the state and drives the buttons). Read once.
 */
final class LivePage {

  /** The page, with the run view's markup (shared with the HTML report) in its slot. */
  private static final String HTML = read("index.html").replace("{{run_view}}", WebAssets.runViewHtml());
  private static final String SCRIPT = read("live.js");

  private LivePage() {}

  static String html() {
    return HTML;
  }

  static String script() {
    return SCRIPT;
  }

  private static String read(String name) {
    try (InputStream in = LivePage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("dev/stampede/web/" + name + " is missing from the class path (a broken build)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev/stampede/web/" + name, e);
    }
  }
}
