package dev.stampede.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.Events;
import dev.stampede.Hooks;
import dev.stampede.Listener;
import dev.stampede.User;
import dev.stampede.cli.HttpClients;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.KpiEvaluator;
import dev.stampede.gate.KpiReport;
import dev.stampede.kpi.KpiFile;
import dev.stampede.merge.ShardInfo;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a load test from a test method, in the test's own JVM, and judges it against KPIs:
 *
 * <pre>{@code
 * @Test
 * void checkoutHoldsItsLatencyUnderLoad() {
 *   Stampede.loadTest(ShopUser.class)
 *       .host(service.url()).users(20).runTime(Duration.ofSeconds(10))
 *       .kpi("total", "p95", "250ms").kpi("POST /checkout", "error_rate", 0)
 *       .run()
 *       .assertKpisMet();   // fails the test with the verdict table
 * }
 * }</pre>
 *
 * <p>KPIs use the names, metrics and bounds of a KPI file ({@code --kpi}); {@link Builder#kpis(Path)}
 * reads one. Users run on the JDK's virtual-thread scheduler unless the test JVM has
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (then on Stampede's carrier threads, as under
 * the {@code stampede} launcher); the statistics are the same either way.
 */
public final class Stampede {

  private Stampede() {}

  /**
   * A load test of users of {@code userClasses} (weighted by their {@code @Weight}), with the
   * defaults of {@code stampede run}: 1 user, all started at once, and a run time to set.
   */
  @SafeVarargs
  public static Builder loadTest(Class<? extends User>... userClasses) {
    return new Builder(List.of(userClasses));
  }

  /**
   * A load test's settings; every setter checks its argument, naming it. The load's settings go
   * straight to a {@link LoadTest.Builder}, whose checks they are.
   */
  public static final class Builder {

    private final LoadTest.Builder load = LoadTest.builder();
    private final Events events = new Events();
    private int users = 1;
    private Double spawnRate;
    private Duration runTime;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final ObjectNode inlineKpis = JsonNodeFactory.instance.objectNode();
    private Path kpiFile;
    private Path json;
    private Clock clock = Clock.systemDefaultZone();

    private Builder(List<Class<? extends User>> userClasses) {
      if (userClasses.isEmpty()) {
        throw new IllegalArgumentException("userClasses must name at least one User subclass but was empty");
      }
      load.userClasses(userClasses).scenario(userClasses.get(0).getSimpleName()).events(events)
          .httpFactory(HttpClients.sessions());
    }

    /** The target base URL, e.g. {@code http://127.0.0.1:8080}. The default is none. */
    public Builder host(String host) {
      load.host(Objects.requireNonNull(host, "host"));
      return this;
    }

    /** Users to run (closed model), or the most concurrent users (open model). The default is 1. */
    public Builder users(int users) {
      load.users(users);
      this.users = users;
      return this;
    }

    /** Users started per second. The default starts them all within the first second. */
    public Builder spawnRate(double perSecond) {
      load.spawnRate(perSecond);
      this.spawnRate = perSecond;
      return this;
    }

    /** How long the load runs after the warm-up. Required. */
    public Builder runTime(Duration runTime) {
      load.runTime(Objects.requireNonNull(runTime, "runTime"));
      this.runTime = runTime;
      return this;
    }

    /** Open model: iterations started per second, latency measured from their intended start. */
    public Builder arrivalRate(double perSecond) {
      // Stricter than LoadTest.Builder, where 0 means the closed model: here it would mean no load.
      if (!(perSecond > 0)) {
        throw new IllegalArgumentException("arrivalRate must be > 0 but was " + perSecond);
      }
      load.arrivalRate(perSecond);
      return this;
    }

    /** How long users may finish their current task at stop. The default is none. */
    public Builder stopTimeout(Duration timeout) {
      load.stopTimeout(Objects.requireNonNull(timeout, "timeout"));
      return this;
    }

    /** Load run before the measured run and counted nowhere. The default is none. */
    public Builder warmup(Duration warmup) {
      load.warmup(Objects.requireNonNull(warmup, "warmup"));
      return this;
    }

    /** Carrier threads, when users run on them. The default is the number of cores. */
    public Builder carrierThreads(int threads) {
      load.carrierThreads(threads);
      return this;
    }

    /** A tag of the run, passed to listeners. */
    public Builder tag(String key, String value) {
      tags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      load.tags(tags);
      return this;
    }

    /** A listener to export results to, e.g. one built by a listener module. */
    public Builder listener(String name, Listener listener) {
      load.listener(Objects.requireNonNull(name, "name"), Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Event hooks: test start and stop, each request. */
    public Builder hooks(Hooks hooks) {
      Objects.requireNonNull(hooks, "hooks").register(events);
      return this;
    }

    /**
     * A KPI, as one entry of a KPI file: {@code kpi("GET /items", "p95", "250ms")} is
     * {@code "GET /items": { p95: 250ms }}. {@code endpoint} is {@code "METHOD name"}, a bare name
     * or {@code total}; {@code bound} a number or a string such as {@code "250ms"}.
     */
    public Builder kpi(String endpoint, String metric, Object bound) {
      Objects.requireNonNull(bound, "bound");
      ObjectNode kpis = inlineKpis.has("kpis") ? (ObjectNode) inlineKpis.get("kpis") : inlineKpis.putObject("kpis");
      ObjectNode metrics = kpis.has(endpoint) ? (ObjectNode) kpis.get(endpoint) : kpis.putObject(endpoint);
      metrics.set(metric, bound instanceof Number number
          ? JsonNodeFactory.instance.numberNode(number.doubleValue())
          : JsonNodeFactory.instance.textNode(bound.toString()));
      return this;
    }

    /** A KPI file, JSON or YAML as for {@code stampede run --kpi}; judged with the inline KPIs. */
    public Builder kpis(Path file) {
      this.kpiFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Writes the JSON result of {@code stampede run --json} to {@code file}. */
    public Builder json(Path file) {
      this.json = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Today's date for a KPI's {@code skip_until}. The default is the system clock. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs the test to its end (the run time, after the warm-up), then judges the KPIs.
     *
     * @throws IllegalStateException when no run time was set
     * @throws ConfigException when a KPI is malformed, before any load is sent
     */
    public LoadTestResult run() {
      if (runTime == null) {
        throw new IllegalStateException("runTime must be set: a test's load test ends on its own");
      }
      List<KpiFile> kpiFiles = kpiFiles();
      RunOutcome outcome = load.spawnRate(spawnRate != null ? spawnRate : users).build().run();
      if (json != null) {
        ResultJson.write(json, RunResultFile.fromOutcome(outcome, ShardInfo.WHOLE.part()));
      }
      RunResultFile result = RunResultFile.fromSummary(outcome.summary());
      KpiEvaluator evaluator = new KpiEvaluator(clock);
      List<dev.stampede.gate.Verdict> verdicts = new ArrayList<>();
      for (KpiFile kpis : kpiFiles) {
        verdicts.addAll(evaluator.evaluate(kpis, result).verdicts());
      }
      return new LoadTestResult(outcome, new KpiReport(verdicts));
    }

    private List<KpiFile> kpiFiles() {
      List<KpiFile> files = new ArrayList<>();
      if (kpiFile != null) {
        files.add(KpiFile.load(kpiFile, yamlFactory()));
      }
      if (inlineKpis.has("kpis")) {
        files.add(KpiFile.parse(inlineKpis, "kpi(...)"));
      }
      return files;
    }

    private static JsonFactory yamlFactory() {
      return new com.fasterxml.jackson.dataformat.yaml.YAMLFactory();
    }
  }
}
