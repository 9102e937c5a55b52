package dev.stampede.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line with every listener module on the class path, as the distribution has them. */
class ListenerSettingsCliTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = dev.stampede.cli.Stampede.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  @Test
  void rejectsAMisspeltKeyOfAListenerThatIsNotEnabled() {
    int code = run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--run-time", "1s",
        "--listener", "prometheus", "--set", "prometheus.port=0", "--set", "influx.ulr=x");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("stampede: unknown key influx.ulr: did you mean influx.url? Set it with --set influx.url=...")
        .doesNotContain("\tat ");
  }

  @Test
  void rejectsABadValueOfAListenerThatIsNotEnabled() {
    int code = run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--run-time", "1s",
        "--listener", "prometheus", "--set", "prometheus.port=0", "--set", "cloudwatch.batch-size=5000");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("cloudwatch.batch-size=5000 must be between 1 and 1000");
  }

  @Test
  void rejectsAnUnknownListenerSetting() {
    int code = run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--set", "listener.stop-timout=5s");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key listener.stop-timout (known: listener.stop-timeout)");
  }
}
