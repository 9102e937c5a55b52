package dev.stampede.cli;

import dev.stampede.config.ConfigException;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stampede} command line. Errors become one line on standard error and an exit code:
 * 2 for invalid usage or configuration, 3 when the test could not run. {@code --debug} (or
 * {@code STAMPEDE_DEBUG=1}) adds stack traces.
 */
@Command(name = "stampede", mixinStandardHelpOptions = true, version = "Stampede 0.1.0",
    description = "Load tests for the JVM: plain-Java scenarios, exact statistics, metrics to Prometheus, InfluxDB and CloudWatch.",
    subcommands = {RunCommand.class, MergeCommand.class, KubernetesCommand.class, dev.stampede.cli.CompareCommand.class, dev.stampede.cli.TrendCommand.class})
public final class Stampede {

  private Stampede() {}

  /** The command line with the engine's subcommands; distributions add their own (demo). */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Stampede());
    commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> handle(exception, line.getErr()));
    commandLine.setParameterExceptionHandler((exception, args) -> {
      PrintWriter err = exception.getCommandLine().getErr();
      err.println("stampede: " + exception.getMessage());
      err.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCode.USAGE;
    });
    return commandLine;
  }

  /** Turns an exception out of a command into one line and its exit code. */
  static int handle(Exception exception, PrintWriter err) {
    int code;
    String message;
    if (exception instanceof ConfigException config) {
      code = ExitCode.USAGE;
      message = config.getMessage();
    } else if (exception instanceof LateStartException late) {
      code = ExitCode.LATE_START;
      message = late.getMessage();
    } else if (exception instanceof CannotRunException cannotRun) {
      code = ExitCode.CANNOT_RUN;
      message = cannotRun.getMessage();
    } else {
      code = ExitCode.CANNOT_RUN;
      message = "unexpected error: " + WarnThenDebugLogger.describe(exception)
          + (debug() ? "" : " (set STAMPEDE_DEBUG=1 for the stack trace)");
    }
    err.println("stampede: " + message);
    if (debug()) {
      exception.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static boolean debug() {
    return "1".equals(System.getenv("STAMPEDE_DEBUG")) || Boolean.getBoolean("stampede.debug");
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(Arrays.copyOf(args, args.length)));
  }
}
