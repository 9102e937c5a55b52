package dev.stampede.examples;

import dev.stampede.cli.CannotRunException;
import dev.stampede.cli.Stampede;
import dev.stampede.examples.friendservice.FriendService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code stampede demo}: starts the friend service on a free loopback port, waits until it is
 * ready, and runs the friend-service scenario against it with a live display, the summary and a
 * JSON result. Extra options are passed to {@code stampede run}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs the friend-service scenario against the bundled demo service on loopback.")
public final class DemoCommand implements Callable<Integer> {

  /** The scenario file the demo runs, relative to the project root. */
  static final String SCENARIO = "examples/scenarios/FriendServiceScenario.java";

  @Option(names = {"-t", "--run-time"}, defaultValue = "30s", description = "How long to run. Default: ${DEFAULT-VALUE}.")
  String runTime;

  @Option(names = {"-u", "--users"}, defaultValue = "20", description = "Users. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--json", defaultValue = "results/demo-result.json", description = "Result file. Default: ${DEFAULT-VALUE}.")
  String json;

  @Option(names = "--seed-users", defaultValue = "5000", description = "Users the service is seeded with. Default: ${DEFAULT-VALUE}.")
  int seedUsers;

  @Unmatched
  List<String> passThrough = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    // ./stampede passes the project root, so the demo works from any directory.
    Path scenario = Path.of(System.getProperty("stampede.home", ".")).resolve(SCENARIO);
    if (!Files.isRegularFile(scenario)) {
      throw new CannotRunException("the demo scenario " + scenario + " was not found; run ./stampede demo from the project");
    }
    try (FriendService service = FriendService.builder().users(seedUsers).build().start()) {
      System.out.println("Demo friend service on " + service.baseUri() + ", seeding " + seedUsers + " users ...");
      if (!service.awaitReady(Duration.ofMinutes(2))) {
        throw new CannotRunException("the demo service did not become ready within 2 minutes");
      }
      List<String> args = new ArrayList<>(List.of("run", "--scenario", scenario.toString(),
          "--host", service.baseUri().toString(), "--users", Integer.toString(users),
          "--spawn-rate", Integer.toString(Math.max(1, users / 2)), "--run-time", runTime, "--json", json,
          "--tag", "service=friend-service"));
      if (listenerAvailable("prometheus") && passThrough.stream().noneMatch(a -> a.startsWith("--listener") || a.equals("-l"))) {
        // The demo exposes /metrics on a free port so a Prometheus can be pointed at it.
        args.addAll(List.of("--listener", "prometheus", "--set", "prometheus.port=0", "--set", "prometheus.linger=0s"));
      }
      args.addAll(passThrough);
      int code = Stampede.commandLine().execute(args.toArray(String[]::new));
      if (code == 0) {
        System.out.println("Result written to " + json);
      }
      return code;
    }
  }

  private static boolean listenerAvailable(String name) {
    for (dev.stampede.ListenerProvider provider : java.util.ServiceLoader.load(dev.stampede.ListenerProvider.class)) {
      if (provider.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
