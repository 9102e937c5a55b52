package dev.stampede.cli;

import dev.stampede.Hooks;
import dev.stampede.LoadShape;
import dev.stampede.User;
import dev.stampede.config.ConfigException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Loads a scenario: a single {@code .java} file compiled in process against the engine (as Locust
 * runs a locustfile), or a class name from the class path. The scenario's users are its concrete
 * {@link User} subclasses (the class itself, or its nested and sibling classes); a {@link LoadShape}
 * and {@link Hooks} implementation are picked up the same way.
 */
final class ScenarioLoader {

  private ScenarioLoader() {}

  /**
   * Loads {@code scenario}.
   *
   * @throws ConfigException when the file or class does not exist or declares no user (exit 2)
   * @throws CannotRunException when the file does not compile (exit 3)
   */
  static Scenario load(String scenario) {
    return load(scenario, ScenarioClassPath.defaults());
  }

  /**
   * Loads {@code scenario} with {@code classPath} beyond the engine's: a file's //DEPS are resolved
   * and compiled against, and the scenario's classes are loaded beside them.
   *
   * @throws ConfigException when the file or class does not exist or declares no user (exit 2)
   * @throws CannotRunException when the file does not compile or a //DEPS cannot be resolved (exit 3)
   */
  static Scenario load(String scenario, ScenarioClassPath classPath) {
    if (scenario.endsWith(".java")) {
      Path file = Path.of(scenario);
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("scenario file " + file + " does not exist");
      }
      return compile(file, classPath.forFile(file));
    }
    ClassLoader loader = classLoader(List.of(), classPath.jars());
    Class<?> type;
    try {
      type = Class.forName(scenario, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException("scenario " + scenario + " is neither a .java file nor a class on the class path");
    }
    List<Class<?>> candidates = new ArrayList<>();
    candidates.add(type);
    candidates.addAll(List.of(type.getDeclaredClasses()));
    return fromClasses(type.getSimpleName(), candidates, loader);
  }

  /**
   * The loaders of jar lists, one per list for the life of the JVM. Why: {@code DriverManager}
   * registers a JDBC driver class once, from the first loader that finds it, and then refuses it to
   * code from any loader that sees another copy of that class. Each run (--repeat, the web page)
   * compiles its scenario into a new loader, but all of them share the one loader of its jars.
   */
  private static final Map<List<Path>, ClassLoader> JAR_LOADERS = new ConcurrentHashMap<>();

  /** A loader of {@code classes} (or none) over the loader of {@code jars} over the context class loader. */
  private static ClassLoader classLoader(List<Path> classes, List<Path> jars) {
    ClassLoader parent = Thread.currentThread().getContextClassLoader();
    if (!jars.isEmpty()) {
      List<Path> key = jars.stream().map(p -> p.toAbsolutePath().normalize()).toList();
      ClassLoader context = parent;
      parent = JAR_LOADERS.computeIfAbsent(key, k -> new URLClassLoader(urls(k), context));
    }
    return classes.isEmpty() ? parent : new URLClassLoader(urls(classes), parent);
  }

  private static URL[] urls(List<Path> paths) {
    List<URL> urls = new ArrayList<>();
    try {
      for (Path path : paths) {
        urls.add(path.toUri().toURL());
      }
    } catch (IOException e) {
      throw new ConfigException("class path entry is not a valid URL: " + e.getMessage());
    }
    return urls.toArray(URL[]::new);
  }

  private static Scenario compile(Path file, List<Path> jars) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new CannotRunException("compiling " + file + " needs a JDK, but this Java runtime has no compiler");
    }
    Path output;
    try {
      output = Files.createTempDirectory("stampede-scenario");
      output.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new CannotRunException("cannot create a directory to compile the scenario in: " + e.getMessage(), e);
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      StringBuilder compileClassPath = new StringBuilder(System.getProperty("java.class.path"));
      for (Path jar : jars) {
        compileClassPath.append(java.io.File.pathSeparatorChar).append(jar);
      }
      List<String> options = List.of("-d", output.toString(), "-classpath", compileClassPath.toString(),
          "-proc:none", "-parameters", "-nowarn");
      boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
          files.getJavaFileObjects(file.toFile())).call();
      if (!compiled) {
        throw new CannotRunException("scenario " + file + " does not compile: " + firstError(diagnostics));
      }
    } catch (IOException e) {
      throw new CannotRunException("cannot compile " + file + ": " + e.getMessage(), e);
    }
    List<Class<?>> classes = new ArrayList<>();
    ClassLoader loader = classLoader(List.of(output), jars);
    try {
      List<Path> classFiles;
      try (Stream<Path> walk = Files.walk(output)) {
        classFiles = walk.filter(p -> p.toString().endsWith(".class")).sorted(Comparator.naturalOrder()).toList();
      }
      for (Path classFile : classFiles) {
        String name = output.relativize(classFile).toString().replace('/', '.').replaceAll("\\.class$", "");
        classes.add(Class.forName(name, false, loader));
      }
    } catch (IOException | ClassNotFoundException | LinkageError e) {
      throw new CannotRunException("cannot load the compiled scenario " + file + ": " + e, e);
    }
    String name = file.getFileName().toString().replaceAll("\\.java$", "");
    return fromClasses(name, classes, loader);
  }

  private static String firstError(DiagnosticCollector<JavaFileObject> diagnostics) {
    long errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count();
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .findFirst()
        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse("")
            + (errors > 1 ? " (and " + (errors - 1) + " more errors)" : ""))
        .orElse("unknown error");
  }

  @SuppressWarnings("unchecked")
  static Scenario fromClasses(String name, List<Class<?>> classes, ClassLoader loader) {
    List<Class<? extends User>> users = new ArrayList<>();
    LoadShape shape = null;
    List<Hooks> hooks = new ArrayList<>();
    for (Class<?> type : classes) {
      if (Modifier.isAbstract(type.getModifiers()) || type.isInterface() || type.isAnonymousClass()
          || type.isLocalClass() || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
        continue;
      }
      if (User.class.isAssignableFrom(type)) {
        users.add((Class<? extends User>) type);
      } else if (LoadShape.class.isAssignableFrom(type)) {
        if (shape != null) {
          throw new ConfigException("scenario " + name + " declares more than one LoadShape");
        }
        shape = (LoadShape) newInstance(type);
      } else if (Hooks.class.isAssignableFrom(type)) {
        hooks.add((Hooks) newInstance(type));
      }
    }
    if (users.isEmpty()) {
      throw new ConfigException("scenario " + name + " declares no concrete class extending dev.stampede.User");
    }
    users.sort(Comparator.comparing(Class::getName));
    return new Scenario(name, List.copyOf(users), shape, List.copyOf(hooks), loader);
  }

  private static Object newInstance(Class<?> type) {
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(type.getName() + " needs a constructor without parameters");
    }
  }
}
