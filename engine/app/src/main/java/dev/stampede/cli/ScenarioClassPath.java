package dev.stampede.cli;

import dev.stampede.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.repository.supplier.RepositorySystemSupplier;
import org.apache.maven.repository.supplier.SessionBuilderSupplier;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * The class path a scenario is compiled and run with, beyond the engine's own: jars at hand
 * ({@code --classpath}) and the {@code //DEPS group:artifact:version} lines at the top of a
 * single-file scenario (the convention JBang made familiar), resolved with their transitive runtime
 * dependencies by Maven Resolver from Maven repositories into the local repository.
 *
 * <pre>{@code
 * //DEPS com.h2database:h2:2.3.232
 * //DEPS org.postgresql:postgresql:42.7.4, com.zaxxer:HikariCP:6.2.1
 * }</pre>
 *
 * <p>A malformed coordinate is a configuration error (exit 2); one that cannot be resolved, because
 * it does not exist or because the machine (or {@code --offline}) cannot reach a repository that
 * has it, means the test cannot run (exit 3), and the message names the coordinate and its line.
 */
final class ScenarioClassPath {

  /** Maven Central, where //DEPS are resolved from unless {@code --repository} says otherwise. */
  static final String MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2/";

  /** A {@code //DEPS} line: the marker at the start of a line, then coordinates separated by commas or spaces. */
  private static final Pattern DEPS_LINE = Pattern.compile("^\\s*//DEPS\\s+(.*)$");

  private final List<Path> jars;
  private final Path localRepository;
  private final List<String> repositories;
  private final boolean offline;

  /**
   * @param jars jars and class directories at hand, in order
   * @param localRepository where resolved artifacts are stored and first looked for
   * @param repositories the remote repositories' URLs, in order
   * @param offline whether to use the local repository only
   */
  ScenarioClassPath(List<Path> jars, Path localRepository, List<String> repositories, boolean offline) {
    this.jars = List.copyOf(jars);
    this.localRepository = Objects.requireNonNull(localRepository, "localRepository");
    this.repositories = List.copyOf(repositories);
    this.offline = offline;
  }

  /** Nothing beyond the engine's class path, //DEPS resolved from Maven Central into the default local repository. */
  static ScenarioClassPath defaults() {
    return new ScenarioClassPath(List.of(), defaultLocalRepository(), List.of(MAVEN_CENTRAL), false);
  }

  /** {@code -Dmaven.repo.local} when set, as Maven reads it, else {@code ~/.m2/repository}. */
  static Path defaultLocalRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /**
   * Parses {@code --classpath}: entries separated by the platform's path separator; an entry
   * ending in {@code *} stands for the jars in that directory, as with {@code java -cp}.
   *
   * @param problems where an entry that does not exist is reported
   */
  static List<Path> parseClassPath(String classPath, List<String> problems) {
    List<Path> paths = new ArrayList<>();
    for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
      if (entry.isBlank()) {
        continue;
      }
      if (entry.endsWith("*")) {
        Path dir = Path.of(entry.substring(0, entry.length() - 1));
        if (!Files.isDirectory(dir)) {
          problems.add("--classpath entry " + entry + ": " + dir + " is not a directory");
          continue;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
          List<Path> found = new ArrayList<>();
          entries.forEach(found::add);
          found.sort(null);
          paths.addAll(found);
        } catch (IOException e) {
          problems.add("--classpath entry " + entry + " cannot be listed: " + e.getMessage());
        }
      } else {
        Path path = Path.of(entry);
        if (!Files.exists(path)) {
          problems.add("--classpath entry " + entry + " does not exist");
        } else {
          paths.add(path);
        }
      }
    }
    return paths;
  }

  /** A coordinate of a {@code //DEPS} line, e.g. {@code com.h2database:h2:2.3.232}, and where it was. */
  record Declared(String coordinate, Path file, int line) {
    @Override
    public String toString() {
      return "//DEPS " + coordinate + " (" + file.getFileName() + " line " + line + ")";
    }
  }

  /**
   * The coordinates of {@code file}'s {@code //DEPS} lines, in order.
   *
   * @throws ConfigException when a coordinate is not {@code groupId:artifactId[:extension[:classifier]]:version}
   */
  static List<Declared> declared(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read scenario file " + file + ": " + e.getMessage());
    }
    List<Declared> declared = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher deps = DEPS_LINE.matcher(lines.get(i));
      if (!deps.matches()) {
        continue;
      }
      for (String coordinate : deps.group(1).trim().split("[,\\s]+")) {
        if (coordinate.isEmpty()) {
          continue;
        }
        Declared entry = new Declared(coordinate, file, i + 1);
        try {
          new DefaultArtifact(coordinate);
          declared.add(entry);
        } catch (IllegalArgumentException e) {
          problems.add(entry + " is not groupId:artifactId:version");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return declared;
  }

  /**
   * The jars to compile and run {@code file} with: those at hand, then its {@code //DEPS} with
   * their transitive runtime dependencies (one version of each, Maven's nearest-wins mediation).
   *
   * @throws ConfigException when a //DEPS line is malformed (exit 2)
   * @throws CannotRunException naming the first coordinate that cannot be resolved (exit 3)
   */
  List<Path> forFile(Path file) {
    List<Declared> declared = declared(file);
    Set<Path> all = new LinkedHashSet<>(jars);
    if (!declared.isEmpty()) {
      all.addAll(resolve(declared));
    }
    return List.copyOf(all);
  }

  /** The jars at hand ({@code --classpath}), for a scenario given as a class name. */
  List<Path> jars() {
    return jars;
  }

  private List<Path> resolve(List<Declared> declared) {
    RepositorySystem system = new RepositorySystemSupplier().get();
    try (CloseableSession session = new SessionBuilderSupplier(system).get()
        .withLocalRepositoryBaseDirectories(localRepository)
        .setOffline(offline)
        .setSystemProperties(System.getProperties())
        .build()) {
      List<RemoteRepository> remotes = remoteRepositories();
      try {
        return resolve(system, session, declared, remotes);
      } catch (DependencyResolutionException e) {
        // One request for all, so that versions are mediated across them; when it fails, find the
        // declared coordinate that does not resolve on its own, to name it.
        for (Declared one : declared) {
          try {
            resolve(system, session, List.of(one), remotes);
          } catch (DependencyResolutionException alone) {
            throw cannotResolve(one, alone);
          }
        }
        throw cannotResolve(declared.get(0), e);
      }
    } finally {
      system.shutdown();
    }
  }

  private static List<Path> resolve(RepositorySystem system, CloseableSession session, List<Declared> declared,
      List<RemoteRepository> remotes) throws DependencyResolutionException {
    CollectRequest collect = new CollectRequest();
    for (Declared entry : declared) {
      collect.addDependency(new Dependency(new DefaultArtifact(entry.coordinate()), JavaScopes.RUNTIME));
    }
    collect.setRepositories(remotes);
    DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    List<Path> paths = new ArrayList<>();
    for (ArtifactResult result : system.resolveDependencies(session, request).getArtifactResults()) {
      paths.add(result.getArtifact().getPath());
    }
    return paths;
  }

  private List<RemoteRepository> remoteRepositories() {
    List<RemoteRepository> remotes = new ArrayList<>();
    for (int i = 0; i < repositories.size(); i++) {
      String url = repositories.get(i);
      String id = url.equals(MAVEN_CENTRAL) ? "central" : "repository-" + (i + 1);
      remotes.add(new RemoteRepository.Builder(id, "default", url)
          .setSnapshotPolicy(new RepositoryPolicy(false, RepositoryPolicy.UPDATE_POLICY_NEVER,
              RepositoryPolicy.CHECKSUM_POLICY_WARN))
          .build());
    }
    return remotes;
  }

  private CannotRunException cannotResolve(Declared entry, DependencyResolutionException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String reason = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
    return new CannotRunException("cannot resolve " + entry + (offline ? " offline" : "") + ": " + reason
        + " (local repository " + localRepository + ")", e);
  }
}
