package dev.stampede.cli;

import dev.stampede.config.ConfigException;
import dev.stampede.config.Durations;
import dev.stampede.kubernetes.KubernetesManifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stampede kubernetes}: renders the manifests of a distributed run ({@link KubernetesManifests})
 * from {@code run}'s options, given after {@code --}:
 * {@code stampede kubernetes --shards 4 --image REPO/stampede:0.1.0 --results-dir s3://bucket/runs
 * --scenario Shop.java --kpi kpis.yaml -- --users 400 --run-time 10m --host http://shop}.
 */
@Command(name = "kubernetes", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Renders a ConfigMap, an Indexed Job of shards starting at one instant and a merge Job for kubectl apply -f.")
public final class KubernetesCommand implements Callable<Integer> {

  /** Options the manifests set for every shard; given among run's options they would conflict. */
  static final Set<String> MANAGED = Set.of("--shard", "--start-at", "--run-id", "--results-dir", "--expect-shards",
      "--scenario", "-f", "--kpi", "--web", "--repeat");

  @Option(names = "--shards", paramLabel = "N", required = true, description = "How many pods share the load.")
  int shards;

  @Option(names = "--image", paramLabel = "IMAGE", required = true,
      description = "The image with the Stampede distribution (examples/kubernetes/Dockerfile).")
  String image;

  @Option(names = "--results-dir", paramLabel = "URI", required = true,
      description = "The results store every pod reaches, e.g. s3://bucket/stampede.")
  String resultsDir;

  @Option(names = {"-f", "--scenario"}, paramLabel = "FILE.java", description = "The scenario, shipped in the ConfigMap.")
  Path scenario;

  @Option(names = "--kpi", paramLabel = "FILE", description = "KPIs the merge Job judges the whole run on.")
  Path kpi;

  @Option(names = "--run-id", paramLabel = "ID", description = "The run's id. Default: 8 random hex digits.")
  String runId;

  @Option(names = "--name", paramLabel = "NAME", description = "The objects' base name. Default: stampede-RUN_ID.")
  String name;

  @Option(names = "--namespace", paramLabel = "NS", description = "The namespace. Default: kubectl's.")
  String namespace;

  @Option(names = "--service-account", paramLabel = "NAME",
      description = "The pods' service account, e.g. one bound to an IAM role (IRSA) for S3 and CloudWatch.")
  String serviceAccount;

  @Option(names = "--lead", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2m",
      description = "How far ahead the start instant is: time to schedule the pods and pull the image. Default: ${DEFAULT-VALUE}.")
  Duration lead;

  @Option(names = "--merge-wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the merge Job waits for every shard. Default: the lead, the run time and 10 minutes.")
  Duration mergeWait;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Writes the manifests to FILE. Default: standard output.")
  Path output;

  @Parameters(paramLabel = "RUN_OPTION", description = "After --: the options of stampede run for every shard.")
  List<String> runOptions = new ArrayList<>();

  @Spec
  CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws IOException {
    List<String> problems = new ArrayList<>();
    if (shards < 1) {
      problems.add("--shards must be >= 1 but was " + shards);
    }
    for (String option : runOptions) {
      String bare = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
      if (MANAGED.contains(bare)) {
        problems.add(bare + " is set by stampede kubernetes itself; give it before --, not among run's options");
      }
    }
    if (scenario != null && !Files.isRegularFile(scenario)) {
      problems.add("--scenario " + scenario + " does not exist");
    }
    if (kpi != null && !Files.isRegularFile(kpi)) {
      problems.add("--kpi " + kpi + " does not exist");
    }
    if (scenario == null && !runOptions.contains("--url")) {
      problems.add("give --scenario FILE.java, or --url PATH among run's options");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    String id = runId != null ? runId : java.util.UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> files = new LinkedHashMap<>();
    List<String> options = new ArrayList<>();
    if (scenario != null) {
      String file = scenario.getFileName().toString();
      files.put(file, Files.readString(scenario, StandardCharsets.UTF_8));
      options.addAll(List.of("--scenario", KubernetesManifests.FILES_DIR + "/" + file));
    }
    String kpiName = null;
    if (kpi != null) {
      kpiName = kpi.getFileName().toString();
      files.put(kpiName, Files.readString(kpi, StandardCharsets.UTF_8));
    }
    options.addAll(runOptions);
    Instant startAt = clock.instant().plus(lead).truncatedTo(ChronoUnit.SECONDS);
    Duration wait = mergeWait != null ? mergeWait : lead.plus(runTime()).plusMinutes(10);
    KubernetesManifests manifests = new KubernetesManifests(name != null ? name : "stampede-" + id.toLowerCase(),
        namespace, image, id, shards, startAt, resultsDir, options, files, kpiName, serviceAccount, wait,
        ExitCode.LATE_START);
    String yaml = manifests.yaml();
    if (output == null) {
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(output, yaml, StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("stampede: wrote " + output + " (start at " + startAt + ", run " + id + ")");
    }
    return ExitCode.PASSED;
  }

  /** The run time among run's options, or an hour when none is given (the shape decides). */
  private Duration runTime() {
    for (int i = 0; i < runOptions.size(); i++) {
      String option = runOptions.get(i);
      String value = null;
      if ((option.equals("-t") || option.equals("--run-time")) && i + 1 < runOptions.size()) {
        value = runOptions.get(i + 1);
      } else if (option.startsWith("--run-time=")) {
        value = option.substring("--run-time=".length());
      }
      if (value != null) {
        try {
          return Durations.parse(value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException("--run-time " + value + " " + e.getMessage());
        }
      }
    }
    return Duration.ofHours(1);
  }
}
