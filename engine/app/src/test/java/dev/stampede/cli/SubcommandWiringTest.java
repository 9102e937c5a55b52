package dev.stampede.cli;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.result.ResultJson;
import dev.stampede.result.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** compare and trend as subcommands of the real {@code stampede} command line. */
class SubcommandWiringTest {

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int stampede(String... args) {
    CommandLine cli = Stampede.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  String file(String name, double p95) {
    Path f = dir.resolve(name);
    ResultJson.write(f, Results.run().endpoint(ep("GET", "/a").mean(20).p(95, p95)).build());
    return f.toString();
  }

  @Test
  void returnTheirExitCodesThroughStampede() {
    assertThat(stampede("compare", file("b.json", 100), file("c.json", 200))).isEqualTo(1);
    assertThat(stampede("compare", file("d.json", 100), file("e.json", 100))).isZero();
    assertThat(stampede("trend", dir.toString())).isZero();
    assertThat(out.toString()).contains("date,endpoint,p50,p95,p99");
  }

  @Test
  void unknownOptionsAreExitTwo() {
    assertThat(stampede("compare", "--tolerence", "5%", "a.json", "b.json")).isEqualTo(2);
    assertThat(stampede("trend")).isEqualTo(2);
  }
}
