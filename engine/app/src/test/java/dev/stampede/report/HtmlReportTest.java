package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static final Pattern DATA = Pattern.compile(
      "<script type=\"application/json\" id=\"stampede-data\">(.*?)</script>", Pattern.DOTALL);

  @TempDir
  Path dir;

  @Test
  void inlinesEveryScriptAndStyleSoThePageLoadsNothing() {
    String html = HtmlReport.render(HtmlTestData.outcome(), HtmlTestData.kpis());

    assertThat(html).doesNotContainPattern("(?i)<script[^>]*\\ssrc=")
        .doesNotContainPattern("(?i)<link[\\s>]")
        .doesNotContainPattern("(?i)<img[\\s>]")
        .contains("uPlot")
        .contains("The MIT License")
        .contains("Content-Security-Policy")
        .contains("default-src 'none'");
  }

  @Test
  void escapesUserStringsSoNoneCanEndTheDataElement() {
    String html = HtmlReport.render(HtmlTestData.outcome(), HtmlTestData.kpis());

    assertThat(html).doesNotContain(HtmlTestData.HOSTILE_NAME)
        .doesNotContain("<script>window.pwned")
        .doesNotContain("<img src=x")
        .doesNotContain("<!-- \u2028")
        .contains("\\u003C/script\\u003E");
    // Exactly the template's own script elements: the data added none.
    assertThat(html.split("(?i)<script", -1)).hasSize(1 + 4);
  }

  @Test
  void embedsTheRunSoItReadsBackUnchanged() throws IOException {
    JsonNode data = data(HtmlReport.render(HtmlTestData.outcome(), HtmlTestData.kpis()));

    assertThat(data.at("/run/run_id").asText()).isEqualTo("rel-42");
    assertThat(data.at("/run/tags/note").asText()).isEqualTo(HtmlTestData.HOSTILE_TAG);
    assertThat(data.at("/run/duration_s").asDouble()).isEqualTo(30.0);
    assertThat(data.at("/run/peak_users").asInt()).isEqualTo(10);
    assertThat(data.at("/stats/1/name").asText()).isEqualTo(HtmlTestData.HOSTILE_NAME);
    assertThat(data.at("/stats/0/p")).hasSize(11);
    assertThat(data.at("/percentiles/8").asText()).isEqualTo("99.9%");
    assertThat(data.at("/total/count").asLong()).isEqualTo(1_500);
    assertThat(data.at("/history/t")).hasSize(HtmlTestData.HISTORY_POINTS);
    assertThat(data.at("/history/rps/0").asDouble()).isEqualTo(5.0);
    assertThat(data.at("/failures/0/error").asText()).isEqualTo(HtmlTestData.HOSTILE_ERROR);
    assertThat(data.at("/task_errors/0/count").asLong()).isEqualTo(2);
    assertThat(data.at("/listeners/0/name").asText()).isEqualTo("prometheus");
    assertThat(data.at("/listeners/0/details/pushes").asText()).isEqualTo("30");
    assertThat(data.at("/kpis/1/status").asText()).isEqualTo("FAILED");
    assertThat(data.at("/kpis/1/message").asText()).isEqualTo("30 of 1500 requests failed");
  }

  @Test
  void carriesTheRequestsCancelledAtStop() throws IOException {
    JsonNode data = data(HtmlReport.render(HtmlTestData.outcomeCancellingAtStop(7), List.of()));

    assertThat(data.at("/run/cancelled_at_stop").asLong()).isEqualTo(7);
    assertThat(data(HtmlReport.render(HtmlTestData.outcome(), List.of())).at("/run/cancelled_at_stop").asLong())
        .isZero();
  }

  @Test
  void leavesTheKpiSectionEmptyWithoutKpis() throws IOException {
    JsonNode data = data(HtmlReport.render(HtmlTestData.outcome(), List.of()));

    assertThat(data.get("kpis")).isEmpty();
  }

  @Test
  void escapesTheRunIdInTheTitle() {
    var outcome = HtmlTestData.outcome();
    var run = outcome.summary().run();
    var hostileRun = new dev.stampede.RunInfo("<b>id</b>", run.instance(), run.host(), run.scenario(), run.tags(),
        run.startedAt());
    var summary = outcome.summary();
    var hostile = new dev.stampede.engine.RunOutcome(new dev.stampede.Summary(hostileRun, summary.statisticsFrom(), summary.duration(),
        summary.peakUsers(), summary.endpoints(), summary.total(), summary.failures(), 0), outcome.deliveries(),
        outcome.history(), outcome.taskErrors(), false, null);

    assertThat(HtmlReport.render(hostile, List.of())).contains("<title>Stampede report: run &lt;b&gt;id&lt;/b&gt;</title>");
  }

  @Test
  void writesTheFileCreatingParentDirectories() throws IOException {
    Path file = dir.resolve("reports/nested/run.html");

    HtmlReport.write(file, HtmlTestData.outcome(), HtmlTestData.kpis());

    assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("rel-42");
  }

  private static JsonNode data(String html) throws IOException {
    Matcher matcher = DATA.matcher(html);
    assertThat(matcher.find()).as("the data element").isTrue();
    return new ObjectMapper().readTree(matcher.group(1));
  }
}
