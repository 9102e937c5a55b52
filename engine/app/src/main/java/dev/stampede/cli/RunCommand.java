package dev.stampede.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.bus.ResultBus;
import dev.stampede.carrier.UserThreads;
import dev.stampede.compare.RepeatedRuns;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.AbortOnFailCheck;
import dev.stampede.gate.KpiGate;
import dev.stampede.gate.Verdict;
import dev.stampede.http.TlsWarmup;
import dev.stampede.history.ResultsArchive;
import dev.stampede.http.Urls;
import dev.stampede.kpi.KpiFile;
import dev.stampede.report.SummaryTable;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code stampede run}: runs a load test headless and reports it, or serves the live web page
 * ({@code --web}, {@link WebPageRun}). The options come in groups, one mixin each; {@link RunPlanner}
 * builds the run from them, {@link ResultOutputs} writes its files, and this class runs it:
 * readiness, Ctrl-C, repeats, the console, the verdict and the exit code.
 */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Runs a load test and prints its statistics.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:passed", "1:a KPI was missed (or requests failed, with --fail-on-failures)",
        "2:invalid usage or configuration, or a result file could not be written",
        "3:the test could not run (target not ready, scenario does not compile, no user could start, nothing measured"
            + " with --kpi or --fail-on-failures)",
        "4:a shard reached --start-at later than --start-tolerance and sent no load",
        "130:interrupted (Ctrl-C), after a graceful stop and final flush; during a --start-at wait, at once (no load sent)",
        "143:terminated (SIGTERM), after the same graceful stop"})
public final class RunCommand implements Callable<Integer> {

  @Mixin
  HttpClientOptions http = new HttpClientOptions();

  @Mixin
  ScenarioOptions scenario = new ScenarioOptions();

  @Mixin
  LoadOptions load = new LoadOptions();

  @Mixin
  OutputOptions output = new OutputOptions();

  @Mixin
  ExportOptions export = new ExportOptions();

  @Mixin
  VerdictOptions verdict = new VerdictOptions();

  @Mixin
  ReadinessOptions readiness = new ReadinessOptions();

  @Mixin
  WebOptions webOptions = new WebOptions();

  @Mixin
  ShardOptions shardOptions = new ShardOptions();

  @Mixin
  TlsOptions tls = new TlsOptions();

  @Spec
  CommandSpec spec;

  Map<String, String> environment = System.getenv();
  Clock clock = Clock.systemDefaultZone();

  /** The run in progress and its shard, for the shutdown hook; null between runs. */
  private volatile LoadTest running;
  private volatile ShardedRun runningShard;
  private volatile boolean interruptRequested;
  boolean terminal = System.console() != null;
  /** Writes the result files, each on its own; set at the start of {@link #call}. */
  private ResultOutputs outputs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (verdict.repeat < 1) {
      throw new ConfigException("--repeat must be >= 1 but was " + verdict.repeat);
    }
    if (!(verdict.maxCv > 0)) {
      throw new ConfigException("--max-cv must be > 0 but was " + verdict.maxCv);
    }
    if (load.shutdownTimeout.isZero() || load.shutdownTimeout.isNegative()) {
      throw new ConfigException("--shutdown-timeout must be > 0 but was " + load.shutdownTimeout);
    }
    if (webOptions.web && webOptions.headless) {
      throw new ConfigException("--web and --headless exclude each other");
    }
    // Everything that can be wrong with the options is found before waiting for the target or sending load.
    KpiGate gate = verdict.kpi == null ? null : new KpiGate(KpiFile.load(verdict.kpi, new YAMLFactory()), clock);
    outputs = new ResultOutputs(err, gate, clock);
    TlsWarmup.beginFor(scenario.host); // overlaps compiling the scenario and starting listeners
    RunPlanner planner = new RunPlanner(
        new RunOptions(scenario, load, export, output, verdict, webOptions, http, tls, shardOptions), environment, clock);
    RunPlanner.Plan plan = planner.plan();
    tls.warn(err);
    if (load.threads != null && !UserThreads.available()) {
      err.println("stampede: warning: --threads has no effect here: users run on the JDK's scheduler (carrier threads"
          + " need JDK 24+ and --add-opens java.base/java.lang=ALL-UNNAMED, and are off with -Dstampede.scheduler=jdk)");
    }
    if (webOptions.web) {
      return new WebPageRun(webOptions, load, scenario.host, output, environment).serve(planner, outputs, out);
    }
    if (readiness.enabled()) {
      readiness.await(out, output.quiet, plan.http());
    }
    return interruptibly(() -> runAndJudge(planner, plan, gate, out, err));
  }

  private int runAndJudge(RunPlanner planner, RunPlanner.Plan firstPlan, KpiGate gate, PrintWriter out,
      PrintWriter err) {
    int repeat = verdict.repeat;
    RunPlanner.Plan plan = firstPlan;
    List<RunResultFile> results = new ArrayList<>();
    boolean interrupted = false;
    boolean failures = false;
    long cancelled = 0;
    boolean nothingMeasured = false;
    String brokenScenario = null;
    String runId = plan.runId();
    for (int run = 1; run <= repeat; run++) {
      if (run > 1) {
        plan = planner.plan();
      }
      if (repeat > 1 && !output.quiet) {
        out.printf(Locale.ROOT, "%nRun %d of %d%n", run, repeat);
      }
      RunOutcome outcome;
      try {
        outcome = execute(plan, gate, out);
      } catch (StartCancelledException e) {
        err.println("stampede: " + e.getMessage());
        return ExitCode.INTERRUPTED;
      }
      outputs.writeResults(outcome, plan.sharded().info(),
          repeat > 1 ? OutputOptions.numbered(output.json, run) : output.json,
          output.csv == null ? null : repeat > 1 ? output.csv + "_run" + run : output.csv);
      if (plan.sharded().storesShardResult()) {
        String stored = plan.sharded().storeResult(outcome);
        if (!output.quiet) {
          out.println("Shard result stored as " + stored);
        }
      }
      outputs.writeHtml(outcome, repeat > 1 ? OutputOptions.numbered(output.html, run) : output.html);
      report(outcome, out, err);
      if (output.requestsLog != null) {
        outputs.checkRequestsLog(outcome, "--requests-log " + output.requestsLog);
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
      repeated = RepeatedRuns.of(results, verdict.maxCv);
      judged = repeated.median();
      out.println(repeated.verdict());
      if (output.json != null) {
        ResultJson.write(output.json, judged);
      }
    }
    archive(judged, plan.sharded());
    if (!interrupted && (verdict.failOnFailures || gate != null) && nothingMeasured) {
      // A run that measured nothing passes no judgement: that is the target (or the run) not working.
      err.printf(Locale.ROOT, "stampede: FAILED: nothing was measured: no request completed%s%s%n",
          cancelled > 0 ? " (" + cancelled + " cancelled at stop)" : "", gate != null ? ", so no KPI can pass" : "");
      return ExitCode.CANNOT_RUN;
    }
    int code = ExitCode.PASSED;
    if (gate != null) {
      out.println();
      code = gate.judge(judged, out, verdict.junit, runId);
      if (repeated != null) {
        code = repeated.exitCode(code, verdict.onNoise);
      }
    }
    if (verdict.failOnFailures && failures) {
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

  /** Runs one test: progress, Ctrl-C handling, and abort_on_fail when the KPI file asks for it. */
  private RunOutcome execute(RunPlanner.Plan plan, KpiGate gate, PrintWriter out) {
    LoadTest loadTest = plan.builder().build();
    Progress progress = new Progress(out, terminal, plan.runTime());
    if (!output.quiet) {
      loadTest.onTick(progress);
      out.printf(Locale.ROOT, "Stampede run %s: %s against %s%n", plan.runId(), plan.description(),
          plan.host() == null ? "(no host)" : Urls.redact(plan.host()));
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
    runningShard = plan.sharded();
    if (interruptRequested) {
      loadTest.interrupt();
      plan.sharded().cancelStart();
    }
    RunOutcome outcome;
    // Users inherit the context class loader of the thread that starts them: the scenario's, which
    // sees its //DEPS and --classpath jars.
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(plan.classLoader());
    try {
      outcome = loadTest.run();
    } catch (ResultBus.ListenerStartException e) {
      throw new CannotRunException(e.getMessage(), e);
    } finally {
      running = null;
      runningShard = null;
      plan.sharded().close();
      Thread.currentThread().setContextClassLoader(previous);
    }
    progress.finish();
    if (outcome.aborted() != null) {
      out.println("Run aborted early (abort_on_fail): " + outcome.aborted());
    }
    return outcome;
  }

  /**
   * Runs {@code work} so that Ctrl-C or SIGTERM stop the current run gracefully, within
   * --shutdown-timeout; a shard waiting for its --start-at instant stops waiting and sends no load.
   */
  private int interruptibly(IntSupplier work) {
    return new GracefulShutdown(load.shutdownTimeout, spec.commandLine().getErr(), () -> {
      interruptRequested = true;
      LoadTest current = running;
      if (current != null) {
        current.interrupt();
      }
      ShardedRun shard = runningShard;
      if (shard != null) {
        shard.cancelStart();
      }
    }).run(work);
  }

  private void archive(RunResultFile judged, ShardedRun sharded) {
    if (output.resultsDir == null || sharded.storesShardResult()) {
      return;
    }
    try {
      Path file = output.json;
      if (file == null) {
        file = Files.createTempFile("stampede-result", ".json");
        file.toFile().deleteOnExit();
        ResultJson.write(file, judged);
      }
      Path stored = ResultsArchive.of(Path.of(output.resultsDir)).store(file);
      if (!output.quiet) {
        spec.commandLine().getOut().println("Result archived as " + stored);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot archive the result in " + output.resultsDir + ": " + e.getMessage());
    }
  }

  private void report(RunOutcome outcome, PrintWriter out, PrintWriter err) {
    if (!output.quiet) {
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
}
