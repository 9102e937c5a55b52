package dev.stampede.examples.friendservice;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The standalone command line of {@link FriendService#main(String[])}. */
@Command(
    name = "friend-service",
    mixinStandardHelpOptions = true,
    description = "Runs the Stampede demo friend service until interrupted (Ctrl-C).")
final class FriendServiceCommand implements Callable<Integer> {

  /** How long the command waits for seeding before it reports that the service is not ready. */
  static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  @Option(names = "--host", defaultValue = FriendService.DEFAULT_HOST,
      description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080",
      description = "TCP port, 0 for a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--users", defaultValue = "" + FriendService.DEFAULT_USERS,
      description = "Users to seed the database with (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--seed", defaultValue = "" + FriendService.DEFAULT_SEED,
      description = "Random seed of the seed users (default: ${DEFAULT-VALUE}).")
  long seed;

  private final PrintWriter out;
  private final CountDownLatch stop;

  FriendServiceCommand(PrintWriter out, CountDownLatch stop) {
    this.out = out;
    this.stop = stop;
  }

  /** Parses {@code args}, runs the service until the JVM shuts down, and returns the exit code. */
  static int run(String[] args) {
    CountDownLatch stop = new CountDownLatch(1);
    PrintWriter out = new PrintWriter(System.out, true);
    CommandLine commandLine = new CommandLine(new FriendServiceCommand(out, stop));
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    FriendService service;
    try {
      service = FriendService.builder().host(host).port(port).users(users).seed(seed).build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    try {
      service.start();
    } catch (IOException e) {
      out.println("friend-service: " + e.getMessage());
      return 1;
    }
    Thread hook = Thread.ofPlatform().unstarted(() -> {
      service.close();
      stop.countDown();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    if (service.awaitReady(READY_TIMEOUT)) {
      out.println("try: curl '" + service.baseUri() + UsersHandler.PATH + "?username=otter'");
    } else {
      out.println("not ready (seeding failed, or is still running after " + READY_TIMEOUT.toMinutes()
          + " min): see " + service.baseUri() + HealthHandler.READY_PATH);
    }
    stop.await();
    return 0;
  }
}
