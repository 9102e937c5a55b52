package dev.stampede.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code stampede} launcher script with a fake JDK whose {@code java} records its
 * arguments, and checks the JVM options the launcher passes. The launcher is copied into a
 * directory with an up-to-date build stamp and no sources, so it never builds anything.
 */
@Timeout(60)
class LauncherJvmOptionsTest {

  private static final Path REPOSITORY = Path.of("..", "..");

  @TempDir
  Path dir;

  @Test
  void excludesTheSettlingMethodFromCompilationByItsCurrentName() throws Exception {
    // A rename would silently drop the memory saving: the JVM ignores a CompileCommand for a method
    // that does not exist.
    String method = UserThreads.class.getName() + "::" + UserThreads.class.getMethod("settleBaseFrames").getName();

    List<String> options = launch(25, null);

    assertThat(options).contains("-XX:CompileCommand=exclude," + method)
        .containsSubsequence("--add-opens", "java.base/java.lang=ALL-UNNAMED")
        .contains("--enable-native-access=ALL-UNNAMED")
        .endsWith("dev.stampede.examples.StampedeMain", "--version");
  }

  @Test
  void passesTheJdk23OptionsOnlyToJdk23AndLater() throws Exception {
    assertThat(launch(25, null)).contains("--sun-misc-unsafe-memory-access=allow", "-XX:TrimNativeHeapInterval=2000");
    assertThat(launch(21, null)).doesNotContain("--sun-misc-unsafe-memory-access=allow", "-XX:TrimNativeHeapInterval=2000")
        .contains("-XX:CompileCommand=exclude,dev.stampede.carrier.UserThreads::settleBaseFrames");
  }

  @Test
  void userJavaOptionsComeAfterTheDefaultsSoTheyWin() throws Exception {
    List<String> options = launch(25, "-Xms1g -Dstampede.scheduler=jdk");

    assertThat(options).containsSubsequence("-Xms64m", "-Xms1g", "-Dstampede.scheduler=jdk",
        "dev.stampede.examples.StampedeMain");
  }

  /** Runs the launcher with {@code --version} on a fake JDK of {@code major}; the arguments its java got. */
  private List<String> launch(int major, String javaOpts) throws IOException, InterruptedException {
    Path home = Files.createTempDirectory(dir, "home");
    Files.createDirectories(home.resolve("scripts"));
    Files.copy(REPOSITORY.resolve("stampede"), home.resolve("stampede"));
    Files.copy(REPOSITORY.resolve("scripts/find-jdk.sh"), home.resolve("scripts/find-jdk.sh"));
    Files.createDirectories(home.resolve("examples/target"));
    Files.createFile(home.resolve("examples/target/.stampede-built"));

    Path args = home.resolve("java-args");
    Path jdk = home.resolve("jdk");
    executable(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
    executable(jdk.resolve("bin/java"), """
        #!/bin/sh
        if [ "$1" = "-XshowSettings:properties" ]; then
          echo "    java.specification.version = %d" >&2
          exit 0
        fi
        for arg in "$@"; do printf '%%s\\n' "$arg"; done > "%s"
        """.formatted(major, args));
    // Found by find-jdk.sh's check for Maven; fails loudly if the launcher ever tried to build.
    Path bin = home.resolve("bin");
    executable(bin.resolve("mvn"), "#!/bin/sh\necho 'fake mvn must not run' >&2\nexit 99\n");

    ProcessBuilder launcher = new ProcessBuilder("bash", home.resolve("stampede").toString(), "--version")
        .redirectErrorStream(true).redirectOutput(home.resolve("output").toFile());
    launcher.environment().put("JAVA_HOME", jdk.toString());
    launcher.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    if (javaOpts == null) {
      launcher.environment().remove("STAMPEDE_JAVA_OPTS");
    } else {
      launcher.environment().put("STAMPEDE_JAVA_OPTS", javaOpts);
    }
    Process process = launcher.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
    assertThat(process.exitValue()).as(Files.readString(home.resolve("output"))).isZero();
    return Files.readAllLines(args);
  }

  private static void executable(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
