package dev.stampede.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the HTML report inlines and the live page serves, one copy of each: the run view's markup
 * ({@code run-view.html}, the sections that {@code stampede.js} fills), Stampede's renderer and
 * style sheet, and uPlot (MIT licence) from its WebJar on the class path. Loaded once and cached.
 */
public final class WebAssets {

  /** Where the uPlot WebJar keeps its files; the version comes from the WebJar's own pom.properties. */
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final String OWN = "dev/stampede/report/";
  private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

  private WebAssets() {}

  /** uPlot's minified browser build (an IIFE that defines {@code uPlot}). */
  public static String uplotJs() {
    return load(uplotBase() + "dist/uPlot.iife.min.js");
  }

  /** uPlot's style sheet. */
  public static String uplotCss() {
    return load(uplotBase() + "dist/uPlot.min.css");
  }

  /** uPlot's MIT licence text, which must travel with every copy. */
  public static String uplotLicense() {
    return load(uplotBase() + "LICENSE");
  }

  /** Stampede's renderer of the run view, shared by the report and the live page. */
  public static String appJs() {
    return load(OWN + "stampede.js");
  }

  /** Stampede's style sheet. */
  public static String appCss() {
    return load(OWN + "stampede.css");
  }

  /**
   * The run view's markup: the summary, KPI, statistics, chart, failure, task error and listener
   * sections, empty, with the ids {@link #appJs()} fills. Trusted text, for a page's {@code <main>}.
   */
  public static String runViewHtml() {
    return load(OWN + "run-view.html");
  }

  private static String uplotBase() {
    return CACHE.computeIfAbsent("uplot.base", key -> {
      try (InputStream in = resource(UPLOT_POM)) {
        Properties properties = new Properties();
        properties.load(in);
        return "META-INF/resources/webjars/uplot/" + properties.getProperty("version") + "/";
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
      }
    });
  }

  private static String load(String path) {
    return CACHE.computeIfAbsent(path, key -> {
      try (InputStream in = resource(key)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + key, e);
      }
    });
  }

  private static InputStream resource(String path) {
    InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + " is missing from the class path (a broken build of stampede-app)");
    }
    return in;
  }
}
