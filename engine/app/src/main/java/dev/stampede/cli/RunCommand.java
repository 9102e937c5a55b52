package dev.stampede.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.Events;
import dev.stampede.Hooks;
import dev.stampede.Listener;
import dev.stampede.Tls;
import dev.stampede.bus.OverflowPolicy;
import dev.stampede.bus.ResultBus;
import dev.stampede.carrier.UserThreads;
import dev.stampede.compare.NoisePolicy;
import dev.stampede.compare.RepeatedRuns;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.AbortOnFailCheck;
import dev.stampede.gate.KpiEvaluator;
import dev.stampede.gate.KpiGate;
import dev.stampede.gate.Verdict;
import dev.stampede.history.ResultsArchive;
import dev.stampede.http.Proxies;
import dev.stampede.http.Urls;
import dev.stampede.kpi.KpiFile;
import dev.stampede.report.CsvReport;
import dev.stampede.report.HtmlReport;
import dev.stampede.merge.ShardInfo;
import dev.stampede.merge.ShardResultJson;
import dev.stampede.report.RequestsLog;
import dev.stampede.report.SummaryTable;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.web.WebRunRequest;
import dev.stampede.web.WebUi;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stampede run}: runs a load test headless and reports it. */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Runs a load test and prints its statistics.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:passed", "1:a KPI was missed (or requests failed, with --fail-on-failures)",
        "2:invalid usage or configuration, or a result file could not be written",
        "3:the test could not run (target not ready, scenario does not compile, no user could start, nothing measured"
            + " with --kpi or --fail-on-failures)",
        "4:a shard reached --start-at later than --start-tolerance and sent no load",
        "130:interrupted (Ctrl-C), after a graceful stop and final flush",
        "143:terminated (SIGTERM), after the same graceful stop"})
public final class RunCommand implements Callable<Integer> {

  @Mixin
  HttpClientOptions http = new HttpClientOptions();

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

  @Option(names = {"-u", "--users"}, paramLabel = "N",
      description = "Users to run (closed model) or the most concurrent users (open model). Default: 1, or 100 with --arrival-rate.")
  Integer users;

  @Option(names = {"-r", "--spawn-rate"}, paramLabel = "R", description = "Users started per second. Default: all at once within 1 s.")
  Double spawnRate;

  @Option(names = {"-t", "--run-time"}, paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the load runs: 30s, 5m, 1h. Default: until Ctrl-C (or the scenario's load shape ends).")
  Duration runTime;

  @Option(names = "--arrival-rate", paramLabel = "R",
      description = "Open model: iterations started per second, measured from their intended start.")
  Double arrivalRate;

  @Option(names = "--threads", paramLabel = "N",
      description = "Platform threads that run the users and poll their sockets, like wrk's -t. Default: the number of cores.")
  Integer threads;

  @Option(names = "--stop-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
      description = "How long users may finish their current task at stop. Default: ${DEFAULT-VALUE}.")
  Duration stopTimeout;

  @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "25s",
      description = "After Ctrl-C or SIGTERM, how long the graceful stop (users, listeners' final flush, result files)"
          + " may take before the process exits anyway. Default: ${DEFAULT-VALUE}, within Kubernetes' 30 s grace period.")
  Duration shutdownTimeout;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
      description = "Load run before the measured run and counted nowhere. Default: none.")
  Duration warmup;

  @Option(names = "--json", paramLabel = "FILE", description = "Writes the machine-readable result.")
  Path json;

  @Option(names = "--csv", paramLabel = "PREFIX", description = "Writes PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv.")
  String csv;

  @Option(names = "--requests-log", paramLabel = "FILE", description = "Writes one CSV row per request.")
  Path requestsLog;

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

  @Option(names = "--kpi", paramLabel = "FILE", description = "KPIs (YAML or JSON) the run must meet; a miss is exit 1.")
  Path kpi;

  @Option(names = "--junit", paramLabel = "FILE", description = "Writes the KPI verdicts as JUnit XML.")
  Path junit;

  @Option(names = "--wait-for", paramLabel = "URL", description = "Polls URL before any load until it answers 2xx; exit 3 if it never does.")
  String waitFor;

  @Option(names = "--wait-for-body", paramLabel = "REGEX", description = "With --wait-for: the body must also match REGEX.")
  String waitForBody;

  @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "3m",
      description = "How long --wait-for polls. Default: ${DEFAULT-VALUE}.")
  Duration waitTimeout;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Runs the test N times and judges the per-endpoint medians. Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(names = "--max-cv", paramLabel = "PERCENT", defaultValue = "15",
      description = "With --repeat: above this coefficient of variation of p95 the verdict is inconclusive. Default: ${DEFAULT-VALUE}.")
  double maxCv;

  @Option(names = "--on-noise", paramLabel = "warn|fail", defaultValue = "warn", converter = NoisePolicyConverter.class,
      description = "With --repeat: what an inconclusive (too noisy) verdict does. Default: ${DEFAULT-VALUE}.")
  NoisePolicy onNoise;

  @Option(names = "--html", paramLabel = "FILE", description = "Writes a self-contained HTML report (charts, tables, KPI verdicts).")
  Path html;

  @Option(names = "--web", description = "Serves a live web page to start, watch and stop runs instead of running headless.")
  boolean web;

  @Option(names = "--headless", description = "Runs without the web page (the default; for scripts that say so).")
  boolean headless;

  @Option(names = "--web-host", paramLabel = "HOST", defaultValue = WebUi.DEFAULT_HOST,
      description = "The address the web page binds to. Default: ${DEFAULT-VALUE}.")
  String webHost;

  @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "" + WebUi.DEFAULT_PORT,
      description = "The web page's port (0: a free one). Default: ${DEFAULT-VALUE}.")
  int webPort;

  @Option(names = "--web-auth", paramLabel = "USER:PASSWORD",
      description = "Basic authentication for the web page (shows in ps: prefer --web-auth-file or STAMPEDE_WEB_AUTH).")
  String webAuth;

  @Option(names = "--web-auth-file", paramLabel = "FILE", description = "The web page's USER:PASSWORD, the file's first line.")
  Path webAuthFile;

  @Option(names = "--web-allowed-host", paramLabel = "NAME", split = ",",
      description = "A name the web page is reached by (its Host header), beyond localhost and IP addresses; * for any.")
  List<String> webAllowedHosts = new ArrayList<>();

  @Option(names = "--web-allow-no-auth",
      description = "Serves the web page beyond this machine (--web-host 0.0.0.0) without authentication.")
  boolean webAllowNoAuth;

  @Option(names = "--results-dir", paramLabel = "DIR|URI",
      description = "Archives the JSON result under a name with the time and git commit; a shard (--shard, --start-at)"
          + " writes RUN/shard-I.json once, here or to a plugin's store such as s3://bucket/prefix.")
  String resultsDir;

  @Mixin
  ShardOptions shardOptions = new ShardOptions();

  @Option(names = "--fail-on-failures",
      description = "Exit 1 when any request failed, and 3 when no request completed at all.")
  boolean failOnFailures;

  @Option(names = {"-q", "--quiet"}, description = "No live progress and no tables; errors and the verdict only.")
  boolean quiet;

  @Mixin
  TlsOptions tls = new TlsOptions();

  @Spec
  CommandSpec spec;

  Map<String, String> environment = System.getenv();
  Clock clock = Clock.systemDefaultZone();

  /** The run in progress, for the shutdown hook; null between runs. */
  private volatile LoadTest running;
  private volatile boolean interruptRequested;
  /** The shard, start and HdrHistogram log of the run being planned or run. */
  private ShardedRun sharded;
  boolean terminal = System.console() != null;
  /** Writes the result files, each on its own; set at the start of {@link #call}. */
  private ResultOutputs outputs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    outputs = new ResultOutputs(err);
    if (repeat < 1) {
      throw new ConfigException("--repeat must be >= 1 but was " + repeat);
    }
    if (!(maxCv > 0)) {
      throw new ConfigException("--max-cv must be > 0 but was " + maxCv);
    }
    if (shutdownTimeout.isZero() || shutdownTimeout.isNegative()) {
      throw new ConfigException("--shutdown-timeout must be > 0 but was " + shutdownTimeout);
    }
    if (web && headless) {
      throw new ConfigException("--web and --headless exclude each other");
    }
    // Everything that can be wrong with the options is found before waiting for the target or sending load.
    KpiGate gate = kpi == null ? null : new KpiGate(KpiFile.load(kpi, new YAMLFactory()), clock);
    Plan plan = plan();
    tls.warn(err);
    if (threads != null && !UserThreads.available()) {
      err.println("stampede: warning: --threads has no effect here: users run on the JDK's scheduler (carrier threads"
          + " need JDK 24+ and --add-opens java.base/java.lang=ALL-UNNAMED, and are off with -Dstampede.scheduler=jdk)");
    }
    if (web) {
      return serveWebPage(gate, out);
    }
    if (waitFor != null) {
      awaitReadiness(out);
    }
    Plan first = plan;
    return interruptibly(() -> runAndJudge(first, gate, out, err));
  }

  private int runAndJudge(Plan firstPlan, KpiGate gate, PrintWriter out, PrintWriter err) {
    Plan plan = firstPlan;
    List<RunResultFile> results = new ArrayList<>();
    boolean interrupted = false;
    boolean failures = false;
    long cancelled = 0;
    boolean nothingMeasured = false;
    String brokenScenario = null;
    String runId = plan.runId;
    for (int run = 1; run <= repeat; run++) {
      if (run > 1) {
        plan = plan();
      }
      if (repeat > 1 && !quiet) {
        out.printf(Locale.ROOT, "%nRun %d of %d%n", run, repeat);
      }
      RunOutcome outcome = execute(plan, gate, out);
      writeResults(outcome, repeat > 1 ? numbered(json, run) : json, repeat > 1 ? csv + "_run" + run : csv);
      if (sharded.storesShardResult()) {
        String stored = sharded.storeResult(outcome);
        if (!quiet) {
          out.println("Shard result stored as " + stored);
        }
      }
      writeHtml(outcome, gate, repeat > 1 ? numbered(html, run) : html);
      report(outcome, out, err);
      if (requestsLog != null) {
        outputs.checkRequestsLog(outcome, "--requests-log " + requestsLog);
      }
      if (outcome.brokenScenario() != null) {
        brokenScenario = outcome.brokenScenario();
        break;
      }
      results.add(RunResultFile.fromSummary(outcome.summary()));
      failures |= outcome.summary().total().failures() > 0;
      nothingMeasured |= outcome.summary().total().count() == 0;
      cancelled += outcome.summary().cancelledAtStop();
      if (outcome.interrupted() || interruptRequested) {
        interrupted = true;
        break;
      }
    }
    if (brokenScenario != null) {
      err.println("stampede: the run cannot be judged: " + brokenScenario);
      return ExitCode.CANNOT_RUN;
    }
    RunResultFile judged = results.get(0);
    RepeatedRuns repeated = null;
    if (results.size() > 1) {
      repeated = RepeatedRuns.of(results, maxCv);
      judged = repeated.median();
      out.println(repeated.verdict());
      if (json != null) {
        ResultJson.write(json, judged);
      }
    }
    archive(judged);
    if (!interrupted && (failOnFailures || gate != null) && nothingMeasured) {
      // A run that measured nothing passes no judgement: that is the target (or the run) not working.
      err.printf(Locale.ROOT, "stampede: FAILED: nothing was measured: no request completed%s%s%n",
          cancelled > 0 ? " (" + cancelled + " cancelled at stop)" : "", gate != null ? ", so no KPI can pass" : "");
      return ExitCode.CANNOT_RUN;
    }
    int code = ExitCode.PASSED;
    if (gate != null) {
      out.println();
      code = gate.judge(judged, out, junit, runId);
      if (repeated != null) {
        code = repeated.exitCode(code, onNoise);
      }
    }
    if (failOnFailures && failures) {
      err.printf(Locale.ROOT, "stampede: FAILED: %d of %d requests failed%n", judged.total().failures(),
          judged.total().count());
      code = ExitCode.FAILED;
    }
    if (interrupted) {
      err.println("stampede: interrupted; results were flushed");
      return ExitCode.INTERRUPTED;
    }
    if (gate != null && code != ExitCode.PASSED) {
      err.println("stampede: FAILED: a KPI was missed");
    }
    return outputs.failed() && code == ExitCode.PASSED ? ExitCode.USAGE : code;
  }

  private void awaitReadiness(PrintWriter out) {
    ReadinessProbe.Builder probe = ReadinessProbe.builder(waitFor).timeout(waitTimeout);
    if (waitForBody != null) {
      try {
        probe.bodyPattern(Pattern.compile(waitForBody));
      } catch (PatternSyntaxException e) {
        throw new ConfigException("--wait-for-body " + waitForBody + " is not a regular expression: "
            + e.getDescription());
      }
    }
    ReadinessProbe.Result result = probe.build().await();
    if (!result.ready()) {
      throw new CannotRunException(result.describe());
    }
    if (!quiet) {
      out.println(result.describe());
    }
  }

  /** Runs one test: progress, Ctrl-C handling, and abort_on_fail when the KPI file asks for it. */
  private RunOutcome execute(Plan plan, KpiGate gate, PrintWriter out) {
    LoadTest loadTest = plan.builder.build();
    Progress progress = new Progress(out, terminal, plan.runTime);
    if (!quiet) {
      loadTest.onTick(progress);
      out.printf(Locale.ROOT, "Stampede run %s: %s against %s%n", plan.runId, plan.description,
          host == null ? "(no host)" : Urls.redact(host));
      out.flush();
    }
    if (gate != null && gate.abortOnFailCheck().enabled()) {
      AbortOnFailCheck check = gate.abortOnFailCheck();
      loadTest.onTick(snapshot -> {
        List<Verdict> lost = check.check(RunResultFile.fromSnapshot(snapshot),
            Duration.ofMillis((long) (snapshot.elapsedSeconds() * 1000)));
        if (!lost.isEmpty()) {
          loadTest.abort(lost.get(0).message());
        }
      });
    }
    running = loadTest;
    if (interruptRequested) {
      loadTest.interrupt();
    }
    RunOutcome outcome;
    // Users inherit the context class loader of the thread that starts them: the scenario's, which
    // sees its //DEPS and --classpath jars.
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(plan.classLoader);
    try {
      outcome = loadTest.run();
    } catch (ResultBus.ListenerStartException e) {
      throw new CannotRunException(e.getMessage(), e);
    } finally {
      running = null;
      sharded.close();
      Thread.currentThread().setContextClassLoader(previous);
    }
    progress.finish();
    if (outcome.aborted() != null) {
      out.println("Run aborted early (abort_on_fail): " + outcome.aborted());
    }
    return outcome;
  }

  /** Runs {@code work} so that Ctrl-C or SIGTERM stop the current run gracefully, within --shutdown-timeout. */
  private int interruptibly(java.util.function.IntSupplier work) {
    return new GracefulShutdown(shutdownTimeout, spec.commandLine().getErr(), () -> {
      interruptRequested = true;
      LoadTest current = running;
      if (current != null) {
        current.interrupt();
      }
    }).run(work);
  }

  private void writeResults(RunOutcome outcome, Path jsonFile, String csvPrefix) {
    if (jsonFile != null) {
      outputs.write("--json " + jsonFile,
          () -> ShardResultJson.write(jsonFile, outcome, sharded == null ? ShardInfo.WHOLE : sharded.info()));
    }
    if (csvPrefix != null && csv != null) {
      outputs.write("--csv " + csvPrefix, () -> CsvReport.write(csvPrefix, outcome.summary(), outcome.history()));
    }
  }

  /**
   * {@code --web}: serves the page until it is closed (Ctrl-C). Each run the page starts is built
   * from these options with the form's users, spawn rate, host and run time, and writes the same
   * result files a headless run would.
   */
  private int serveWebPage(KpiGate gate, PrintWriter out) {
    int defaultUsers = users != null ? users : 1;
    String credentials = WebAccess.credentials(webAuth, webAuthFile, environment);
    WebAccess.checkExposure(webHost, credentials, webAllowNoAuth);
    WebUi page;
    try {
      page = WebUi.builder().host(webHost).port(webPort).auth(credentials).allowedHosts(webAllowedHosts)
          .defaults(new WebRunRequest(defaultUsers, spawnRate != null ? spawnRate : defaultUsers, host, runTime))
          .runStarter(request -> {
            if (request.host() != null) {
              host = request.host();
            }
            users = request.users();
            spawnRate = request.spawnRate();
            runTime = request.runTime();
            return plan().builder().build();
          })
          .kpis(outcome -> kpiRows(gate, outcome))
          .onFinished(outcome -> {
            writeResults(outcome, json, csv);
            writeHtml(outcome, gate, html);
          })
          .build().start();
    } catch (IOException e) {
      throw new CannotRunException("cannot serve the web page on " + webHost + ":" + webPort + ": " + e.getMessage(), e);
    }
    out.println("Stampede web page on " + page.url() + " (Ctrl-C to quit)");
    out.flush();
    Thread hook = new Thread(page::close, "stampede-web-close");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      page.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      page.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down: the hook is closing the page.
      }
    }
    return ExitCode.PASSED;
  }

  private void writeHtml(RunOutcome outcome, KpiGate gate, Path file) {
    if (file == null) {
      return;
    }
    outputs.write("--html " + file, () -> HtmlReport.write(file, outcome, kpiRows(gate, outcome)));
  }

  private List<HtmlReport.KpiRow> kpiRows(KpiGate gate, RunOutcome outcome) {
    if (gate == null) {
      return List.of();
    }
    List<HtmlReport.KpiRow> rows = new ArrayList<>();
    for (Verdict v : new KpiEvaluator(clock).evaluate(gate.kpis(), RunResultFile.fromSummary(outcome.summary())).verdicts()) {
      rows.add(new HtmlReport.KpiRow(v.kpi().name(), Double.isNaN(v.measured()) ? "" : v.kpi().metric().format(v.measured()),
          v.kpi().describeBound(), v.status(), v.message()));
    }
    return rows;
  }

  private void archive(RunResultFile judged) {
    if (resultsDir == null || sharded.storesShardResult()) {
      return;
    }
    try {
      Path file = json;
      if (file == null) {
        file = Files.createTempFile("stampede-result", ".json");
        file.toFile().deleteOnExit();
        ResultJson.write(file, judged);
      }
      Path stored = ResultsArchive.of(Path.of(resultsDir)).store(file);
      if (!quiet) {
        spec.commandLine().getOut().println("Result archived as " + stored);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot archive the result in " + resultsDir + ": " + e.getMessage());
    }
  }

  private static Path numbered(Path file, int run) {
    if (file == null) {
      return null;
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot > 0 ? name.substring(0, dot) + "-run" + run + name.substring(dot) : name + "-run" + run;
    return file.resolveSibling(numbered);
  }

  private void report(RunOutcome outcome, PrintWriter out, PrintWriter err) {
    if (!quiet) {
      out.println();
      out.print(SummaryTable.render(outcome.summary(), outcome.deliveries(), outcome.taskErrors()));
      out.print(SummaryTable.startDropsHint(outcome.summary(), outcome.startDrops()));
      out.flush();
    }
    if (outcome.summary().total().count() == 0 && outcome.brokenScenario() == null) {
      // Requests still in flight at stop are counted apart: a run this short or this stalled says nothing.
      err.printf(Locale.ROOT, "stampede: warning: no request completed during the run%s (is the target answering?"
          + " try a longer --run-time, a --stop-timeout or a shorter --timeout)%n",
          outcome.summary().cancelledAtStop() > 0 ? ", " + outcome.summary().cancelledAtStop() + " cancelled at stop" : "");
    }
  }

  /** What the options describe, validated: every problem is reported at once. */
  record Plan(LoadTest.Builder builder, String runId, String description, Duration runTime, ClassLoader classLoader) {}

  private ScenarioClassPath scenarioClassPath(List<java.nio.file.Path> jars) {
    return new ScenarioClassPath(jars, ScenarioClassPath.defaultLocalRepository(),
        repositories.isEmpty() ? List.of(ScenarioClassPath.MAVEN_CENTRAL) : repositories, offline);
  }

  Plan plan() {
    List<String> problems = new ArrayList<>();
    if ((scenario == null) == (url == null)) {
      problems.add("give either --scenario FILE.java|CLASS or --url PATH");
    }
    if (host != null) {
      try {
        URI uri = URI.create(host);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            || uri.getHost() == null) {
          problems.add("--host " + Urls.redact(host) + " must be an http:// or https:// URL with a host");
        }
      } catch (IllegalArgumentException e) {
        problems.add("--host " + Urls.redact(host) + " must be an http:// or https:// URL with a host");
      }
    } else if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
      problems.add("--url " + Urls.redact(url) + " needs --host, or must be an absolute http(s) URL");
    }
    if (users != null && users < 1) {
      problems.add("--users must be >= 1 but was " + users);
    }
    if (threads != null && threads < 1) {
      problems.add("--threads must be >= 1 but was " + threads);
    }
    if (spawnRate != null && !(spawnRate > 0)) {
      problems.add("--spawn-rate must be > 0 but was " + spawnRate);
    }
    if (arrivalRate != null && !(arrivalRate > 0)) {
      problems.add("--arrival-rate must be > 0 but was " + arrivalRate);
    }
    if (runTime != null && (runTime.isZero() || runTime.isNegative())) {
      problems.add("--run-time must be > 0");
    }
    http.checkTimeouts(problems);
    problems.addAll(shardOptions.problems(resultsDir != null, repeat, web));
    if (runId == null && shardOptions.shard(environment).count() > 1) {
      problems.add("--shard " + shardOptions.shard(environment) + " needs --run-id: the shards of one run share it");
    }
    Map<String, String> tagMap = new LinkedHashMap<>();
    for (String tag : tags) {
      int equals = tag.indexOf('=');
      if (equals <= 0) {
        problems.add("--tag " + tag + " must be key=value");
      } else {
        tagMap.put(tag.substring(0, equals).trim(), tag.substring(equals + 1).trim());
      }
    }
    long maxBodyKept = http.maxBodyBytes(problems);
    Proxies proxies = http.proxies(environment, System.getProperties(), problems);
    List<Path> jars = classPath == null ? List.of() : ScenarioClassPath.parseClassPath(classPath, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }

    Tls runTls = tls.resolve(environment);
    ListenerLoader loader = new ListenerLoader();
    java.util.Set<String> prefixes = new java.util.HashSet<>(loader.settingPrefixes());
    prefixes.addAll(ListenerLoader.ENGINE_PREFIXES);
    List<String> settingsFromOptions = new ArrayList<>(sets);
    if (kpi != null) {
      settingsFromOptions.add("kpi.file=" + kpi.toAbsolutePath());
    }
    ConfigSource settings = Settings.resolve(config, environment, settingsFromOptions, prefixes);
    Map<String, Listener> created = loader.create(listeners, settings);

    LoadTest.Builder builder = LoadTest.builder().host(host).tags(tagMap).stopTimeout(stopTimeout).warmup(warmup)
        .httpFactory(HttpClients.sessions(session -> {
          session.acceptEncoding(http.acceptEncodingHeader()).maxBodyKept(maxBodyKept).proxies(proxies).tls(runTls);
          http.apply(session);
        }));
    int defaultUsers = arrivalRate != null ? 100 : 1;
    int userCount = users != null ? users : defaultUsers;
    builder.users(userCount).spawnRate(spawnRate != null ? spawnRate : userCount);
    if (threads != null) {
      builder.carrierThreads(threads);
    }
    if (arrivalRate != null) {
      builder.arrivalRate(arrivalRate);
    }
    builder.runTime(runTime);
    String description;
    ClassLoader scenarioLoader = Thread.currentThread().getContextClassLoader();
    if (url != null) {
      builder.url(url).scenario("url " + Urls.redact(url));
      description = userCount + " users requesting " + Urls.redact(url);
    } else {
      Scenario loaded = ScenarioLoader.load(scenario, scenarioClassPath(jars));
      scenarioLoader = loaded.classLoader();
      Events events = new Events();
      for (Hooks hooks : loaded.hooks()) {
        hooks.register(events);
      }
      builder.userClasses(loaded.userClasses()).scenario(loaded.name()).events(events);
      if (loaded.shape() != null) {
        builder.shape(loaded.shape(), arrivalRate != null);
        description = "scenario " + loaded.name() + " with its load shape";
      } else {
        description = "scenario " + loaded.name() + " with " + userCount + " users";
      }
    }
    if (arrivalRate != null) {
      description = "open model at " + arrivalRate + " iterations/s on at most " + userCount + " users";
    }
    String id = runId != null ? runId : java.util.UUID.randomUUID().toString().substring(0, 8);
    builder.runId(id);
    if (instance != null) {
      builder.instance(instance);
    }
    sharded = ShardedRun.configure(shardOptions, builder, id, resultsDir, instance != null, settings, environment,
        clock);
    created.forEach(builder::listener);
    if (requestsLog != null) {
      builder.losslessListener("requests-log", new RequestsLog(requestsLog));
    }
    busSettings(settings, builder);
    return new Plan(builder, id, description, runTime, scenarioLoader);
  }

  private static void busSettings(ConfigSource settings, LoadTest.Builder builder) {
    String capacity = settings.get("bus.capacity");
    if (capacity != null) {
      try {
        int value = Integer.parseInt(capacity.trim());
        if (value < 1) {
          throw new NumberFormatException();
        }
        builder.busCapacity(value);
      } catch (NumberFormatException e) {
        throw new ConfigException("bus.capacity=" + capacity + " must be a whole number >= 1");
      }
    }
    String overflow = settings.get("bus.overflow");
    if (overflow != null) {
      try {
        builder.overflowPolicy(OverflowPolicy.valueOf(overflow.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("bus.overflow=" + overflow + " must be drop or block");
      }
    }
    String stopTimeout = settings.get("listener.stop-timeout");
    if (stopTimeout != null) {
      try {
        Duration value = dev.stampede.config.Durations.parse(stopTimeout);
        if (value.isZero()) {
          throw new IllegalArgumentException("must be > 0");
        }
        builder.listenerStopTimeout(value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("listener.stop-timeout=" + stopTimeout + " " + e.getMessage());
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String key : settings.keys()) {
      String canonical = ConfigSource.canonical(key);
      if (canonical.startsWith("bus.") && !canonical.equals("bus.capacity") && !canonical.equals("bus.overflow")) {
        unknown.add("unknown key " + key + " (known: bus.capacity, bus.overflow)");
      } else if (canonical.startsWith("listener.") && !canonical.equals(ConfigSource.canonical("listener.stop-timeout"))) {
        unknown.add("unknown key " + key + " (known: listener.stop-timeout)");
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException(unknown);
    }
  }
}
