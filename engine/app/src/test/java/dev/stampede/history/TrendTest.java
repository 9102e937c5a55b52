package dev.stampede.history;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.cli.TrendCommand;
import dev.stampede.result.ResultJson;
import dev.stampede.result.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrendTest {

  @TempDir Path dir;

  void archive(String name, String startedAt, double p95) {
    ResultJson.write(dir.resolve(name + ".json"), Results.run().runId(name).startedAt(startedAt)
        .endpoint(ep("GET", "/a").mean(10).p(50, 8).p(95, p95).p(99, p95 + 0.5)).build());
  }

  @Test
  void printsOneCsvLinePerRunAndEndpointInDateOrder() throws Exception {
    archive("b", "2026-11-22T10:00:00Z", 30);
    archive("a", "2026-11-21T10:00:00Z", 25.25);
    Files.writeString(dir.resolve("notes.txt"), "not a result");

    Trend trend = Trend.load(dir);

    assertThat(trend.csv()).isEqualTo("""
        date,endpoint,p50,p95,p99
        2026-11-21T10:00:00Z,GET /a,8,25.25,25.75
        2026-11-21T10:00:00Z,total,8,25.25,25.75
        2026-11-22T10:00:00Z,GET /a,8,30,30.5
        2026-11-22T10:00:00Z,total,8,30,30.5
        """);
    assertThat(trend.skipped()).isEmpty();
  }

  @Test
  void skipsFilesThatAreNotResultsAndSaysWhy() throws Exception {
    archive("a", "2026-11-21T10:00:00Z", 25);
    Files.writeString(dir.resolve("truncated.json"), "{\"run_id\": \"kill");

    Trend trend = Trend.load(dir);

    assertThat(trend.points()).hasSize(2);
    assertThat(trend.skipped()).singleElement().asString()
        .startsWith("result file " + dir.resolve("truncated.json") + " is not valid JSON");
  }

  @Test
  void quotesEndpointNamesWithCommas() {
    assertThat(Trend.csvField("GET /a,b")).isEqualTo("\"GET /a,b\"");
    assertThat(Trend.csvField("say \"hi\",x")).isEqualTo("\"say \"\"hi\"\",x\"");
    assertThat(Trend.csvField("GET /a")).isEqualTo("GET /a");
  }

  @Test
  void writesASelfContainedChartWithTheDataInline() throws Exception {
    archive("a", "2026-11-21T10:00:00Z", 25);
    ResultJson.write(dir.resolve("evil.json"), Results.run().startedAt("2026-11-22T10:00:00Z")
        .endpoint(ep("GET", "/x</script><script>alert(1)</script>").p(95, 5)).build());
    Path html = dir.resolve("out/trend.html");

    Trend.load(dir).writeHtml(html);

    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>")
        .contains("uPlot")
        .contains("\"GET /a\":{\"t\":[1.7952552E9]")
        .contains("\"p95\":[25.0]")
        .contains("GET /x\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E")
        .doesNotContain("<script src", "<link ", "@import");
    assertThat(page.split("</script>", -1)).as("only the two script elements close").hasSize(3);
  }

  @Test
  void theTrendCommandPrintsCsvAndWritesTheChart() throws Exception {
    archive("a", "2026-11-21T10:00:00Z", 25);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TrendCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute(dir.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("date,endpoint,p50,p95,p99\n2026-11-21T10:00:00Z,GET /a,");
    assertThat(dir.resolve("trend.html")).isNotEmptyFile();
    assertThat(err.toString()).contains("chart written to " + dir.resolve("trend.html"));
  }

  @Test
  void theTrendCommandExitsTwoForAMissingDirectory() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TrendCommand());
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute(dir.resolve("nope").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("stampede trend: results directory "
        + dir.resolve("nope") + " does not exist or is not a directory" + System.lineSeparator());
  }
}
