package dev.stampede.maven;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Runs a scenario from the project's test sources with the test class path, as
 * {@code stampede run} would: {@code mvn stampede:run -Dstampede.scenario=com.example.ShopScenario}.
 * Bound to {@code integration-test} by default, so {@code mvn verify} runs it in CI.
 *
 * <p>The run is a forked JVM (the project's test class path, then the engine's), started with the
 * carrier threads' {@code --add-opens} hook as the {@code stampede} launcher starts it. Results go
 * to {@code target/stampede/}: {@code result.json}, {@code report.html} and, with KPIs,
 * {@code TEST-stampede-kpi.xml} (picked up by CI like Surefire's reports). A missed KPI or a
 * regression against the baseline fails the build with the verdict table; a run that cannot start
 * (exit 2 or 3) is a build error.
 */
@Mojo(name = "run", defaultPhase = LifecyclePhase.INTEGRATION_TEST, requiresDependencyResolution = ResolutionScope.TEST,
    threadSafe = true)
public final class RunMojo extends AbstractMojo {

  /** The CLI's entry point in stampede-app. */
  static final String MAIN_CLASS = "dev.stampede.cli.Stampede";

  /** The scenario: a class on the test class path (its nested users count), or a {@code .java} file. */
  @Parameter(property = "stampede.scenario", required = true)
  String scenario;

  /** The target base URL, e.g. {@code http://127.0.0.1:8080}. */
  @Parameter(property = "stampede.host")
  String host;

  /** Users to run. The default is the CLI's: 1. */
  @Parameter(property = "stampede.users")
  Integer users;

  /** Users started per second. The default starts them all within a second. */
  @Parameter(property = "stampede.spawnRate")
  Double spawnRate;

  /** How long the load runs: {@code 30s}, {@code 5m}. The default is 30 seconds: a build's test must end. */
  @Parameter(property = "stampede.runTime", defaultValue = "30s")
  String runTime;

  /** Open model: iterations started per second. */
  @Parameter(property = "stampede.arrivalRate")
  Double arrivalRate;

  /** Listeners to export to, by name (prometheus, influx, cloudwatch, print); theirs must be plugin dependencies. */
  @Parameter(property = "stampede.listeners")
  List<String> listeners = new ArrayList<>();

  /** Listener settings, as {@code --set key=value}: {@code <influx.url>http://...</influx.url>}. */
  @Parameter
  Map<String, String> settings = Map.of();

  /** Tags of the run, as {@code --tag key=value}. */
  @Parameter
  Map<String, String> tags = Map.of();

  /** The KPI file (YAML or JSON) the run must meet. */
  @Parameter(property = "stampede.kpi")
  File kpi;

  /** A baseline result ({@code --json} of an earlier run) to compare against; a regression fails the build. */
  @Parameter(property = "stampede.baseline")
  File baseline;

  /** With a baseline: how far a metric may get worse. The default is the CLI's: 10%. */
  @Parameter(property = "stampede.tolerance")
  String tolerance;

  /** Fail the build when any request failed. */
  @Parameter(property = "stampede.failOnFailures", defaultValue = "false")
  boolean failOnFailures;

  /** More options of {@code stampede run}, each an element: {@code <arg>--warmup</arg><arg>10s</arg>}. */
  @Parameter
  List<String> args = new ArrayList<>();

  /** Options of the forked JVM, e.g. {@code -Xmx1g}. */
  @Parameter(property = "stampede.jvmArgs")
  List<String> jvmArgs = new ArrayList<>();

  /** The java executable of the forked JVM. The default is that of the JVM running Maven. */
  @Parameter(property = "stampede.jvm")
  File jvm;

  /** Where the results are written. */
  @Parameter(property = "stampede.outputDirectory", defaultValue = "${project.build.directory}/stampede")
  File outputDirectory;

  /** Skips the run, e.g. {@code -Dstampede.skip} for a quick local build. */
  @Parameter(property = "stampede.skip", defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
  List<Artifact> pluginArtifacts;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Stampede run skipped");
      return;
    }
    Path out = outputDirectory.toPath();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot create " + out + ": " + e.getMessage(), e);
    }
    Path result = out.resolve("result.json");
    List<String> run = new ArrayList<>(List.of("run", "--scenario", scenario, "--run-time", runTime,
        "--json", result.toString(), "--html", out.resolve("report.html").toString()));
    option(run, "--host", host);
    option(run, "--users", users);
    option(run, "--spawn-rate", spawnRate);
    option(run, "--arrival-rate", arrivalRate);
    if (!listeners.isEmpty()) {
      option(run, "--listener", String.join(",", listeners));
    }
    settings.forEach((key, value) -> option(run, "--set", key + "=" + value));
    tags.forEach((key, value) -> option(run, "--tag", key + "=" + value));
    if (kpi != null) {
      option(run, "--kpi", kpi.getPath());
      option(run, "--junit", out.resolve("TEST-stampede-kpi.xml").toString());
    }
    if (failOnFailures) {
      run.add("--fail-on-failures");
    }
    run.addAll(args);

    Forked runResult = fork(run);
    switch (runResult.exitCode()) {
      case 0 -> getLog().info("Stampede: passed; results in " + out);
      case 1 -> throw new MojoFailureException("Stampede: FAILED" + verdictTable(runResult.lines()));
      case 2 -> throw new MojoExecutionException("Stampede: invalid configuration: " + lastLine(runResult.lines()));
      case 3 -> throw new MojoExecutionException("Stampede: the test could not run: " + lastLine(runResult.lines()));
      default -> throw new MojoFailureException("Stampede: the run ended with exit code " + runResult.exitCode());
    }
    if (baseline != null) {
      List<String> compare = new ArrayList<>(List.of("compare", baseline.getPath(), result.toString()));
      option(compare, "--tolerance", tolerance);
      Forked compared = fork(compare);
      if (compared.exitCode() == 1) {
        throw new MojoFailureException("Stampede: a regression against " + baseline + "\n"
            + String.join("\n", compared.lines()));
      } else if (compared.exitCode() != 0) {
        throw new MojoExecutionException("Stampede: cannot compare against " + baseline + ": "
            + lastLine(compared.lines()));
      }
    }
  }

  private static void option(List<String> command, String name, Object value) {
    if (value != null) {
      command.add(name);
      command.add(value.toString());
    }
  }

  /** A forked command's exit code and the lines it printed. */
  record Forked(int exitCode, List<String> lines) {}

  private Forked fork(List<String> arguments) throws MojoExecutionException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    // The carrier threads' JDK hook, as the stampede launcher passes it (docs/decisions/0002-carrier-threads.md).
    command.add("--add-opens");
    command.add("java.base/java.lang=ALL-UNNAMED");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath());
    command.add(MAIN_CLASS);
    command.addAll(arguments);
    getLog().debug("Stampede: " + String.join(" ", command));
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.getBasedir()).redirectErrorStream(true);
    List<String> lines = new ArrayList<>();
    Process process = null;
    try {
      process = builder.start();
      process.getOutputStream().close();
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          getLog().info(line);
          lines.add(line);
        }
      }
      return new Forked(process.waitFor(), lines);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted while the load test ran", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroy();
      }
    }
  }

  private String javaExecutable() {
    if (jvm != null) {
      return jvm.getPath();
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The project's test class path, then the engine's (this plugin's dependencies) less what the
   * project already has: the project's own versions of a library win.
   */
  String classPath() throws MojoExecutionException {
    Set<String> entries = new LinkedHashSet<>();
    try {
      entries.addAll(project.getTestClasspathElements());
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the test class path is not resolved: " + e.getMessage(), e);
    }
    Set<String> projectArtifacts = new HashSet<>();
    for (Artifact artifact : project.getArtifacts()) {
      projectArtifacts.add(artifact.getGroupId() + ":" + artifact.getArtifactId());
    }
    for (Artifact artifact : pluginArtifacts) {
      if (artifact.getFile() != null && !projectArtifacts.contains(artifact.getGroupId() + ":" + artifact.getArtifactId())) {
        entries.add(artifact.getFile().getPath());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The verdict table the CLI printed (from its header to its "KPIs:" line), else the last line. */
  static String verdictTable(List<String> lines) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("KPI ") && line.contains("verdict")) {
        start = i;
      } else if (start >= 0 && line.startsWith("KPIs:")) {
        return "\n" + String.join("\n", lines.subList(start, i + 1));
      }
    }
    return ": " + lastLine(lines);
  }

  private static String lastLine(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        return lines.get(i).replaceFirst("^stampede: ", "");
      }
    }
    return "(no output)";
  }
}
