package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * //DEPS lines and --classpath: a real artifact from Maven Central (H2, resolved into the local
 * repository, downloaded when it is not there yet) and coordinates that cannot be resolved.
 */
class ScenarioDependenciesTest {

  private static final String H2 = "com.h2database:h2:2.3.232";

  /** Times a JDBC query against an in-memory H2 through measure(), with the driver found by DriverManager. */
  private static final String H2_SCENARIO = """
      %s
      import dev.stampede.*;
      import java.sql.*;
      public class H2Queries extends User {
        protected WaitTime waitTime() { return WaitTime.constant(0.01); }
        @Task void count() throws Exception {
          measure("select 1", () -> {
            try (Connection c = DriverManager.getConnection("jdbc:h2:mem:deps");
                 ResultSet r = c.createStatement().executeQuery("SELECT 1")) {
              if (!r.next() || r.getInt(1) != 1) throw new IllegalStateException("no row");
              return null;
            }
          });
        }
      }
      """;

  @TempDir
  Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Stampede.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  private String errorLine() {
    assertThat(err.toString()).doesNotContain("\tat ");
    return err.toString().lines().findFirst().orElseThrow();
  }

  @Test
  void theEngineAloneHasNoJdbcDriverForH2() {
    assertThatThrownBy(() -> Class.forName("org.h2.Driver")).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void resolvesADepsLineFromMavenCentralAndRunsTheScenarioWithIt() throws Exception {
    Path file = dir.resolve("H2Queries.java");
    Files.writeString(file, H2_SCENARIO.formatted("//DEPS " + H2));
    Path json = dir.resolve("result.json");

    int code = run("run", "--scenario", file.toString(), "--users", "2", "--run-time", "1s", "--stop-timeout", "30s",
        "--json", json.toString(), "--quiet");

    assertThat(code).as(err.toString()).isZero();
    JsonNode query = new ObjectMapper().readTree(json.toFile()).get("endpoints").get("custom select 1");
    assertThat(query.get("count").asLong()).isPositive();
    assertThat(query.get("failures").asLong()).isZero();
  }

  @Test
  void putsJarsFromTheClassPathOptionOnTheScenariosClassPath() throws Exception {
    Path h2 = ScenarioClassPath.defaultLocalRepository().resolve("com/h2database/h2/2.3.232/h2-2.3.232.jar");
    if (!Files.isRegularFile(h2)) {
      new ScenarioClassPath(List.of(), ScenarioClassPath.defaultLocalRepository(),
          List.of(ScenarioClassPath.MAVEN_CENTRAL), false).forFile(writeDeps(H2));
    }
    Path file = dir.resolve("H2Queries.java");
    Files.writeString(file, H2_SCENARIO.formatted("// no //DEPS: the jar comes from --classpath"));
    Path json = dir.resolve("result.json");

    int code = run("run", "--scenario", file.toString(), "--classpath", h2.toString(),
        "--run-time", "1s", "--stop-timeout", "30s", "--json", json.toString(), "--quiet");

    assertThat(code).as(err.toString()).isZero();
    assertThat(new ObjectMapper().readTree(json.toFile()).get("endpoints").get("custom select 1").get("count").asLong())
        .isPositive();
  }

  @Test
  void anUnresolvableCoordinateIsExitThreeNamingIt() throws Exception {
    Path emptyRepository = Files.createDirectories(dir.resolve("empty-remote"));
    Path file = writeDeps(H2 + ", dev.stampede.test:no-such-artifact:1.0");
    withLocalRepository(dir.resolve("local"), () -> {
      int code = run("run", "--scenario", file.toString(), "--run-time", "1s",
          "--repository", emptyRepository.toUri().toString());
      assertThat(code).isEqualTo(3);
    });
    assertThat(errorLine())
        .startsWith("stampede: cannot resolve //DEPS " + H2 + " (Deps.java line 1): ")
        .contains("com.h2database:h2");
  }

  @Test
  void offlineACoordinateNotInTheLocalRepositoryIsExitThreeNamingIt() throws Exception {
    Path file = writeDeps("dev.stampede.test:no-such-artifact:1.0");
    withLocalRepository(dir.resolve("local"), () -> {
      assertThat(run("run", "--scenario", file.toString(), "--run-time", "1s", "--offline")).isEqualTo(3);
    });
    assertThat(errorLine())
        .startsWith("stampede: cannot resolve //DEPS dev.stampede.test:no-such-artifact:1.0 (Deps.java line 1) offline: ")
        .contains("offline");
  }

  @Test
  void aMalformedCoordinateIsAConfigurationErrorNamingTheLine() throws Exception {
    Path file = dir.resolve("Deps.java");
    Files.writeString(file, "import dev.stampede.*;\n//DEPS just-a-name\npublic class Deps extends User {}\n");
    assertThatThrownBy(() -> ScenarioClassPath.declared(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("//DEPS just-a-name (Deps.java line 2) is not groupId:artifactId:version");
    assertThat(run("run", "--scenario", file.toString(), "--run-time", "1s")).isEqualTo(2);
  }

  @Test
  void readsSeveralCoordinatesPerLineSeparatedByCommasOrSpaces() throws Exception {
    Path file = dir.resolve("Deps.java");
    Files.writeString(file, "//DEPS a.b:c:1.0, d.e:f:2.0 g.h:i:jar:linux:3.0\nclass Deps {}\n  //DEPS j.k:l:4\n");
    assertThat(ScenarioClassPath.declared(file)).extracting(ScenarioClassPath.Declared::coordinate)
        .containsExactly("a.b:c:1.0", "d.e:f:2.0", "g.h:i:jar:linux:3.0", "j.k:l:4");
  }

  @Test
  void aMissingClassPathEntryIsAConfigurationError() {
    assertThat(run("run", "--url", "/", "--host", "http://127.0.0.1:1", "--run-time", "1s",
        "--classpath", dir.resolve("nope.jar").toString()))
        .isEqualTo(2);
    assertThat(errorLine()).isEqualTo("stampede: --classpath entry " + dir.resolve("nope.jar") + " does not exist");
  }

  private Path writeDeps(String coordinates) throws Exception {
    Path file = dir.resolve("Deps.java");
    Files.writeString(file, "//DEPS " + coordinates + "\nimport dev.stampede.*;\npublic class Deps extends User {\n"
        + "  @Task void t() {}\n}\n");
    return file;
  }

  /** Runs {@code work} with {@code -Dmaven.repo.local} pointing at {@code repository}. */
  private static void withLocalRepository(Path repository, Runnable work) {
    String previous = System.getProperty("maven.repo.local");
    System.setProperty("maven.repo.local", repository.toString());
    try {
      work.run();
    } finally {
      if (previous == null) {
        System.clearProperty("maven.repo.local");
      } else {
        System.setProperty("maven.repo.local", previous);
      }
    }
  }
}
