package dev.stampede.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where {@code stampede run} exports results and how they are labelled: the listeners, their
 * settings, the run's tags, its id and this generator's instance name.
 */
final class ExportOptions {

  @Option(names = {"-l", "--listener"}, paramLabel = "NAME", split = ",",
      description = "Listeners to export results to: prometheus, influx, cloudwatch, print.")
  List<String> listeners = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A listener setting, e.g. influx.url=http://127.0.0.1:8086 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "Listener settings in a .properties or .yaml file.")
  Path config;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag of the run, exported as a label (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--run-id", paramLabel = "ID", description = "The run's id. Default: 8 random hex digits.")
  String runId;

  @Option(names = "--instance", paramLabel = "NAME", description = "This load generator's name. Default: the host name.")
  String instance;
}
