package dev.stampede.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What {@code stampede run} loads: a scenario (a {@code .java} file or a class, its class path and
 * the repositories of its {@code //DEPS}) or a bare {@code --url}, and the target's base URL.
 */
final class ScenarioOptions {

  @Option(names = {"-f", "--scenario"}, paramLabel = "FILE.java|CLASS",
      description = "The scenario: a .java file (compiled in process) or a class on the class path.")
  String scenario;

  @Option(names = {"--classpath", "--cp"}, paramLabel = "PATHS",
      description = "Jars and class directories the scenario is compiled and run with (separated by '${sys:path.separator}'; DIR/* for every jar in DIR).")
  String classPath;

  @Option(names = "--repository", paramLabel = "URL",
      description = "A Maven repository the scenario's //DEPS lines are resolved from (repeatable). Default: Maven Central.")
  List<String> repositories = new ArrayList<>();

  @Option(names = "--offline", description = "Resolves //DEPS from the local Maven repository only.")
  boolean offline;

  @Option(names = "--url", paramLabel = "PATH",
      description = "No scenario: every user requests PATH in a loop without waiting, as wrk does.")
  String url;

  @Option(names = {"-H", "--host"}, paramLabel = "URL", description = "The target base URL, e.g. http://127.0.0.1:8080.")
  String host;

  /** Where the scenario's jars and {@code //DEPS} come from. */
  ScenarioClassPath classPath(List<java.nio.file.Path> jars) {
    return new ScenarioClassPath(jars, ScenarioClassPath.defaultLocalRepository(),
        repositories.isEmpty() ? List.of(ScenarioClassPath.MAVEN_CENTRAL) : repositories, offline);
  }
}
