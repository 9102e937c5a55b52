package dev.stampede.examples;

import picocli.CommandLine;

/**
 * The entry point of the distribution that {@code ./stampede} starts: the engine's commands plus
 * {@code demo}, with every listener module on the class path.
 */
public final class StampedeMain {

  private StampedeMain() {}

  public static void main(String[] args) {
    CommandLine commandLine = dev.stampede.cli.Stampede.commandLine();
    commandLine.addSubcommand("demo", new DemoCommand());
    System.exit(commandLine.execute(args));
  }
}
