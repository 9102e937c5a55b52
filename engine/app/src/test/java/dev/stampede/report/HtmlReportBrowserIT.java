package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.Percentiles;
import dev.stampede.engine.RunOutcome;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.web.Chromium;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/** Opens a written report in headless Chromium: it renders its charts and loads nothing from anywhere. */
class HtmlReportBrowserIT {

  @TempDir
  Path dir;

  private ChromeDriver browser;

  @BeforeEach
  void startBrowser() {
    Chromium.assumeInstalled();
    browser = Chromium.start(dir.resolve("profile"));
  }

  @AfterEach
  void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void rendersChartsAndTablesFromTheFileAloneWithoutAnyRequest() throws Exception {
    Path file = dir.resolve("report.html");
    HtmlReport.write(file, HtmlTestData.outcome(), HtmlTestData.kpis());

    browser.get(file.toUri().toString());

    // Nothing was fetched: no resource timing entry, no element that points anywhere, no refused load.
    assertThat(browser.executeScript("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
    assertThat(browser.executeScript("return document.querySelectorAll('[src],[href],link,iframe,object').length"))
        .isEqualTo(0L);
    List<LogEntry> console = Chromium.console(browser);
    assertThat(console).as("console messages (errors, refused loads)").isEmpty();

    // Every chart has the run's data and drew it.
    @SuppressWarnings("unchecked")
    Map<String, Object> points = (Map<String, Object>) browser.executeScript(
        "var c = window.stampedeCharts; var out = {};"
            + "Object.keys(c).forEach(function (k) { out[k] = c[k].data[0].length; }); return out;");
    assertThat(points).containsEntry("rps", (long) HtmlTestData.HISTORY_POINTS)
        .containsEntry("rt", (long) HtmlTestData.HISTORY_POINTS)
        .containsEntry("users", (long) HtmlTestData.HISTORY_POINTS)
        .containsEntry("dist", 11L);
    assertThat(browser.executeScript("return window.stampedeCharts.rps.data[1][0]")).isEqualTo(5L);
    assertThat(browser.executeScript("return window.stampedeCharts.dist.series.length")).isEqualTo(3L);
    for (String chart : List.of("rps", "rt", "users", "dist")) {
      assertThat(paintedPixels(chart)).as("painted pixels of chart %s", chart).isGreaterThan(500L);
    }

    // Hostile strings show as text and ran nothing.
    assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
    assertThat(browser.findElement(By.id("stats")).getText()).contains(HtmlTestData.HOSTILE_NAME);
    assertThat(browser.findElement(By.id("failures")).getText()).contains(HtmlTestData.HOSTILE_ERROR);
    assertThat(browser.findElement(By.id("summary")).getText()).contains("rel-42").contains("env=staging");
    assertThat(browser.findElement(By.id("kpi-section")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("kpis")).getText()).contains("error rate").contains("failed");
    assertThat(browser.findElement(By.id("listeners")).getText()).contains("prometheus").contains("pushes=30");
    assertThat(browser.findElement(By.id("task-errors")).getText()).contains("<b>bug</b>");
    assertThat(browser.findElement(By.cssSelector("#stats thead")).getText()).contains("99.99% (ms)");

    Chromium.screenshot(browser, "html-report");
  }

  @Test
  void leavesOutTheResponseTimeChartAndSaysWhyWhenTheHistoryHasNoPercentiles() throws Exception {
    RunOutcome run = HtmlTestData.outcome();
    double[] unknown = new double[Percentiles.REPORTED.length];
    Arrays.fill(unknown, Double.NaN);
    List<HistoryPoint> merged = run.history().stream().map(p -> new HistoryPoint(p.epochMillis(), p.seconds(),
        p.users(), p.rps(), p.failuresPerSecond(), new Percentiles(unknown), p.totalCount(), p.totalFailures())).toList();
    Path file = dir.resolve("merged.html");
    HtmlReport.write(file, new RunOutcome(run.summary(), run.deliveries(), merged, run.taskErrors(), false, null),
        List.of());

    browser.get(file.toUri().toString());

    assertThat(Chromium.console(browser)).as("console messages").isEmpty();
    assertThat(browser.executeScript("return Object.keys(window.stampedeCharts).sort().join()"))
        .isEqualTo("dist,rps,users");
    assertThat(browser.findElement(By.id("chart-rt")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("chart-rt-absent")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("chart-rt-absent")).getText()).contains("no percentiles per second");
    assertThat(paintedPixels("rps")).isGreaterThan(500L);
  }

  @Test
  void showsNoAbsentChartLineWhenTheHistoryHasPercentiles() throws Exception {
    Path file = dir.resolve("report.html");
    HtmlReport.write(file, HtmlTestData.outcome(), List.of());

    browser.get(file.toUri().toString());

    assertThat(browser.findElement(By.id("chart-rt")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("chart-rt-absent")).isDisplayed()).isFalse();
  }

  @Test
  void showsTheRequestsCancelledAtStopInTheSummaryOnlyWhenThereAreAny() throws Exception {
    Path cancelling = dir.resolve("cancelling.html");
    HtmlReport.write(cancelling, HtmlTestData.outcomeCancellingAtStop(7), List.of());
    Path clean = dir.resolve("clean.html");
    HtmlReport.write(clean, HtmlTestData.outcome(), List.of());

    browser.get(cancelling.toUri().toString());
    String withCancelled = browser.findElement(By.id("summary")).getText();
    browser.get(clean.toUri().toString());
    String without = browser.findElement(By.id("summary")).getText();

    assertThat(withCancelled).contains("Cancelled at stop")
        .contains("7 (in flight when the run ended; neither successes nor failures, not in the latencies");
    assertThat(without).contains("Peak users").doesNotContain("Cancelled at stop");
  }

  /** Pixels of the chart's canvas that are not transparent. */
  private long paintedPixels(String chart) {
    return (Long) browser.executeScript(
        "var canvas = window.stampedeCharts[arguments[0]].ctx.canvas;"
            + "var px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
            + "var n = 0; for (var i = 3; i < px.length; i += 4) { if (px[i] !== 0) { n++; } } return n;", chart);
  }
}
