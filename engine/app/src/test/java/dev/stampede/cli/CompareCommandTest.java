package dev.stampede.cli;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.result.ResultJson;
import dev.stampede.result.Results;
import dev.stampede.result.RunResultFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareCommandTest {

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int compare(String... args) {
    CommandLine cli = new CommandLine(new CompareCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  Path file(String name, RunResultFile result) {
    Path f = dir.resolve(name);
    ResultJson.write(f, result);
    return f;
  }

  Path run(String name, double p95) {
    return file(name, Results.run().endpoint(ep("GET", "/a").mean(20).p(95, p95)).build());
  }

  @Test
  void exitsOneOnARegressionAndPrintsTheDeltas() {
    int code = compare(run("base.json", 100).toString(), run("cur.json", 150).toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("GET /a", "p95", "+50.0%", "regressed", "-> REGRESSED");
  }

  @Test
  void exitsZeroOnAnImprovement() {
    int code = compare(run("base.json", 100).toString(), run("cur.json", 50).toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("-50.0%", "improved", "-> OK");
  }

  @Test
  void aWiderToleranceLetsTheSameChangePass() {
    assertThat(compare(run("base.json", 100).toString(), run("cur.json", 150).toString(),
        "--tolerance", "60%")).isZero();
  }

  @Test
  void comparesOnlyTheMetricsAsked() {
    int code = compare(run("base.json", 100).toString(), run("cur.json", 150).toString(),
        "--metrics", "p50,mean");

    assertThat(code).isZero();
    assertThat(out.toString()).doesNotContain("p95");
  }

  @Test
  void reportsANewEndpoint() {
    Path base = run("base.json", 100);
    Path cur = file("cur.json", Results.run()
        .endpoint(ep("GET", "/a").mean(20).p(95, 100)).endpoint(ep("POST", "/b")).build());

    assertThat(compare(base.toString(), cur.toString())).isZero();
    assertThat(out.toString()).contains("New endpoints (not in the baseline): POST /b");
  }

  @Test
  void reportsAMissingEndpointAndFailsOnItWhenAsked() {
    Path base = file("base.json", Results.run()
        .endpoint(ep("GET", "/a").mean(20).p(95, 100)).endpoint(ep("POST", "/b")).build());
    Path cur = run("cur.json", 100);

    assertThat(compare(base.toString(), cur.toString())).isZero();
    assertThat(out.toString())
        .contains("Missing endpoints (in the baseline, not in this run): POST /b");
    assertThat(compare(base.toString(), cur.toString(), "--fail-on-missing")).isEqualTo(1);
  }

  @Test
  void updateBaselineReplacesTheBaselineOnPurposeAndExitsZero() throws Exception {
    Path base = run("base.json", 100);
    Path cur = run("cur.json", 150);

    assertThat(compare(base.toString(), cur.toString(), "--update-baseline")).isZero();

    assertThat(Files.readString(base)).isEqualTo(Files.readString(cur));
    assertThat(out.toString()).contains("Baseline " + base + " updated from " + cur);
    assertThat(compare(base.toString(), cur.toString())).isZero();
  }

  @Test
  void comparesTwoSetsOfRunsByTheirMedians() {
    int code = compare("--base", run("b1.json", 100).toString(), run("b2.json", 102).toString(),
        run("b3.json", 98).toString(), "--change", run("c1.json", 140).toString(),
        run("c2.json", 138).toString(), run("c3.json", 142).toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("base (3 runs): conclusive", "change (3 runs): conclusive",
        "+40.0%");
  }

  @Test
  void aNoisySetWarnsInsteadOfFailingUnlessAskedTo() {
    String[] args = {"--base", run("b1.json", 100).toString(), run("b2.json", 40).toString(),
        run("b3.json", 200).toString(), "--change", run("c1.json", 140).toString(),
        run("c2.json", 138).toString(), run("c3.json", 142).toString()};

    assertThat(compare(args)).isZero();
    assertThat(out.toString()).contains("inconclusive: environment too noisy");
    String[] failing = java.util.Arrays.copyOf(args, args.length + 2);
    failing[args.length] = "--on-noise";
    failing[args.length + 1] = "fail";
    assertThat(compare(failing)).isEqualTo(1);
  }

  @Test
  void anUnknownMetricIsExitTwoWithOneLine() {
    int code = compare(run("base.json", 100).toString(), run("cur.json", 100).toString(),
        "--metrics", "p95,latency");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("stampede compare: --metrics: unknown metric(s) latency");
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  @Test
  void aMalformedResultFileIsExitTwoWithOneLine() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"run_id\": ");

    int code = compare(run("base.json", 100).toString(), bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("stampede compare: result file " + bad + " is not valid JSON");
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  @Test
  void badUsageIsExitTwo() {
    assertThat(compare(run("only.json", 100).toString())).isEqualTo(2);
    assertThat(compare(run("a.json", 100).toString(), run("b.json", 100).toString(),
        "--tolerance", "lots")).isEqualTo(2);
    assertThat(err.toString()).contains("--tolerance must be a percentage >= 0 such as 10% but was 'lots'");
    assertThat(compare("--base", run("c.json", 100).toString())).isEqualTo(2);
    assertThat(compare("--no-such-option")).isEqualTo(2);
  }

  @Test
  void helpShowsTheDefaults() {
    String usage = new CommandLine(new CompareCommand()).getUsageMessage();

    assertThat(usage).contains("stampede compare baseline.json result.json [--tolerance 10%]",
        "Default: 10%.", "Default: 15%.", "--update-baseline");
  }
}
