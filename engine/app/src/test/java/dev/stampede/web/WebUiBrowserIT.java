package dev.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Drives the live page in headless Chromium: a bad form, a run against a loopback target, stop, downloads. */
class WebUiBrowserIT {

  /** The longest any step may take before the test fails; the run itself is stopped by the test. */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private WebTestTarget target;
  private WebUi web;
  private ChromeDriver browser;

  @BeforeEach
  void start() throws Exception {
    Chromium.assumeInstalled();
    target = new WebTestTarget();
    web = WebUi.builder().port(0).runStarter(target.starter())
        .defaults(new WebRunRequest(1, 1, null, null)).build().start();
    browser = Chromium.start(dir.resolve("profile"));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (web != null) {
      web.close();
    }
    if (target != null) {
      target.close();
    }
  }

  @Test
  void startsARunWatchesItLiveAndStopsIt() throws Exception {
    browser.get(web.url().toString());
    WebDriverWait wait = new WebDriverWait(browser, STEP_TIMEOUT);
    wait.until(d -> "idle".equals(d.findElement(By.id("state")).getText()));
    assertThat(browser.findElement(By.id("users")).getAttribute("value")).isEqualTo("1");

    // A bad form: the page says what is wrong, in words, and nothing starts.
    fill("users", "-3");
    fill("spawn_rate", "1");
    fill("run_time", "soon");
    browser.findElement(By.id("start")).click();
    WebElement error = browser.findElement(By.id("error"));
    wait.until(d -> error.isDisplayed());
    assertThat(error.getText()).contains("users must be a whole number >= 1 but was -3")
        .contains("run time soon must be a duration like 500ms, 30s, 5m, 1h or 1h30m")
        .doesNotContain("Exception").doesNotContain("at dev.stampede");
    assertThat(target.served()).isZero();

    // A good one: 3 users against the loopback target until stopped.
    fill("users", "3");
    fill("spawn_rate", "3");
    fill("host", target.baseUrl());
    fill("run_time", "");
    browser.findElement(By.id("start")).click();
    wait.until(d -> "running".equals(d.findElement(By.id("state")).getText()));
    assertThat(error.isDisplayed()).isFalse();

    // The statistics table fills and the charts get points, second by second.
    wait.until(d -> d.findElement(By.id("stats")).getText().contains("GET " + WebTestTarget.PATH));
    wait.until(d -> longScript("return window.stampedeCharts.rps.data[0].length") >= 3
        && longScript("return window.stampedeCharts.users.data[1].filter(function (v) { return v === 3; }).length") >= 1
        && longScript("return window.stampedeCharts.rt.data[1].filter(function (v) { return v > 0; }).length") >= 2
        && longScript("return window.stampedeCharts.dist.series.length") == 2);
    wait.until(d -> d.findElement(By.id("failures")).getText().contains("503"));
    // The page renders the table afresh every second: a cell found just before a render is stale.
    wait.ignoring(StaleElementReferenceException.class);
    long requestsShown = wait.until(d -> Long.parseLong(d.findElement(By.cssSelector("#stats tbody tr td:nth-child(3)"))
        .getText().replace(",", "")));
    assertThat(requestsShown).isPositive();
    assertThat(browser.findElement(By.id("stop")).isEnabled()).isTrue();
    assertThat(browser.findElement(By.id("start")).isEnabled()).isFalse();
    Chromium.screenshot(browser, "web-page-running");

    // Stop: the run ends, its final statistics stay, and the downloads open up.
    browser.findElement(By.id("stop")).click();
    wait.until(d -> "finished".equals(d.findElement(By.id("state")).getText()));
    wait.until(d -> !d.findElement(By.id("downloads")).getAttribute("class").contains("off"));
    assertThat(web.lastOutcome()).isNotNull();
    assertThat(web.lastOutcome().summary().total().count()).isGreaterThanOrEqualTo(requestsShown);
    assertThat(browser.findElement(By.id("summary")).getText()).contains("web-test").contains("suite=web");
    @SuppressWarnings("unchecked")
    Map<String, Object> download = (Map<String, Object>) browser.executeAsyncScript(
        "var done = arguments[arguments.length - 1];"
            + "fetch(document.getElementById('download-stats').href).then(function (r) {"
            + "  return r.text().then(function (t) { done({ status: r.status, body: t }); }); });");
    assertThat(download).containsEntry("status", 200L);
    assertThat((String) download.get("body")).startsWith("Type,Name,Request Count").contains(WebTestTarget.PATH);
    Chromium.screenshot(browser, "web-page-finished");
    Path report = dir.resolve("report.html");
    HttpClient.newHttpClient().send(HttpRequest.newBuilder(web.url().resolve("download/report.html")).build(),
        HttpResponse.BodyHandlers.ofFile(report));
    int historyPoints = web.lastOutcome().history().size();

    // Reset returns to an empty page.
    browser.findElement(By.id("reset")).click();
    wait.until(d -> "idle".equals(d.findElement(By.id("state")).getText()));
    wait.until(d -> d.findElement(By.id("stats")).getText().contains("No requests yet."));

    List<LogEntry> console = Chromium.console(browser);
    // The one expected console error is the 400 answer to the bad form.
    assertThat(console).allSatisfy(entry -> assertThat(entry.getMessage()).contains("api/start").contains("400"));

    // The run's downloaded report, opened from disk, draws the same history and fetches nothing.
    // Leave the live page before closing its server: a poll in between would log a refused
    // connection to the console this test checks.
    browser.get(report.toUri().toString());
    web.close();
    assertThat(browser.executeScript("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
    assertThat(longScript("return window.stampedeCharts.rps.data[0].length")).isEqualTo(historyPoints);
    assertThat(longScript("return window.stampedeCharts.rt.data[3].filter(function (v) { return v > 0; }).length"))
        .isPositive();
    assertThat(browser.findElement(By.id("stats")).getText()).contains("GET " + WebTestTarget.PATH);
    assertThat(Chromium.console(browser)).isEmpty();
    Chromium.screenshot(browser, "html-report-from-web-run");
  }

  private void fill(String id, String value) {
    WebElement input = browser.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  private long longScript(String script) {
    Object value = browser.executeScript(script);
    return value instanceof Number number ? number.longValue() : -1;
  }
}
