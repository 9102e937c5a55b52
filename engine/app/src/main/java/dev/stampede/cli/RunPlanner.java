package dev.stampede.cli;

import dev.stampede.Events;
import dev.stampede.Hooks;
import dev.stampede.Listener;
import dev.stampede.Tls;
import dev.stampede.bus.OverflowPolicy;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.config.Durations;
import dev.stampede.engine.HttpFactory;
import dev.stampede.engine.LoadTest;
import dev.stampede.http.Proxies;
import dev.stampede.http.Urls;
import dev.stampede.report.RequestsLog;
import dev.stampede.web.WebRunRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the run that {@code stampede run}'s options describe: checks every option at once (one
 * {@link ConfigException} naming each problem), loads the scenario, creates the listeners from their
 * settings, and configures a {@link LoadTest.Builder} with the load, the HTTP client, the shard and
 * its start. Knows nothing of picocli: it reads {@link RunOptions}, the environment and a clock.
 */
final class RunPlanner {

  /**
   * A run ready to build.
   *
   * @param builder the load test, configured
   * @param runId the run's id (given or random)
   * @param description what runs, for the start line, e.g. {@code scenario Shop with 50 users}
   * @param host the target's base URL, or null (the scenario's own)
   * @param runTime how long the load runs, or null (until stopped or the load shape ends)
   * @param classLoader the scenario's class loader, which sees its {@code //DEPS} and class path
   * @param sharded the shard, its start and its HdrHistogram log
   * @param http the users' HTTP client (proxy, TLS, timeouts), for the readiness check too
   */
  record Plan(LoadTest.Builder builder, String runId, String description, String host, Duration runTime,
      ClassLoader classLoader, ShardedRun sharded, HttpFactory http) {}

  private final RunOptions o;
  private final Map<String, String> environment;
  private final Clock clock;

  RunPlanner(RunOptions options, Map<String, String> environment, Clock clock) {
    this.o = Objects.requireNonNull(options, "options");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The run the options describe. */
  Plan plan() {
    return plan(null);
  }

  /**
   * The run the options describe, with the web page's {@code form} (users, spawn rate, run time and,
   * when given, host) over them; {@code null} for the command line's own.
   *
   * @throws ConfigException naming every problem of the options at once
   */
  Plan plan(WebRunRequest form) {
    Load load = Load.of(o, form);
    List<String> problems = new ArrayList<>();
    checkTarget(load.host(), problems);
    checkLoad(load, problems);
    o.http().checkTimeouts(problems);
    problems.addAll(o.shard().problems(o.output().resultsDir != null, o.verdict().repeat, o.web().web));
    if (o.export().runId == null && o.shard().shard(environment).count() > 1) {
      problems.add("--shard " + o.shard().shard(environment) + " needs --run-id: the shards of one run share it");
    }
    Map<String, String> tags = tags(problems);
    long maxBodyKept = o.http().maxBodyBytes(problems);
    Proxies proxies = o.http().proxies(environment, System.getProperties(), problems);
    List<Path> jars = o.scenario().classPath == null ? List.of()
        : ScenarioClassPath.parseClassPath(o.scenario().classPath, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }

    Tls tls = o.tls().resolve(environment);
    ListenerLoader loader = new ListenerLoader();
    ConfigSource settings = settings(loader);
    Map<String, Listener> listeners = loader.create(o.export().listeners, settings);

    HttpClientOptions http = o.http();
    HttpFactory sessions = HttpClients.sessions(session -> {
      session.acceptEncoding(http.acceptEncodingHeader()).maxBodyKept(maxBodyKept).proxies(proxies).tls(tls);
      http.apply(session);
    });
    LoadTest.Builder builder = LoadTest.builder().host(load.host()).tags(tags).stopTimeout(o.load().stopTimeout)
        .warmup(o.load().warmup)
        .httpFactory(sessions);
    Double arrivalRate = o.load().arrivalRate;
    int userCount = load.users() != null ? load.users() : arrivalRate != null ? 100 : 1;
    builder.users(userCount).spawnRate(load.spawnRate() != null ? load.spawnRate() : userCount);
    if (o.load().threads != null) {
      builder.carrierThreads(o.load().threads);
    }
    if (arrivalRate != null) {
      builder.arrivalRate(arrivalRate);
    }
    builder.runTime(load.runTime());
    String description;
    ClassLoader scenarioLoader = Thread.currentThread().getContextClassLoader();
    String url = o.scenario().url;
    if (url != null) {
      builder.url(url).scenario("url " + Urls.redact(url));
      description = userCount + " users requesting " + Urls.redact(url);
    } else {
      Scenario loaded = ScenarioLoader.load(o.scenario().scenario, o.scenario().classPath(jars));
      try {
        LoadTest.checkTaskSets(loaded.userClasses());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("scenario " + loaded.name() + ": " + e.getMessage());
      }
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
    String id = o.export().runId != null ? o.export().runId : UUID.randomUUID().toString().substring(0, 8);
    builder.runId(id);
    String instance = o.export().instance;
    if (instance != null) {
      builder.instance(instance);
    }
    ShardedRun sharded = ShardedRun.configure(o.shard(), builder, id, o.output().resultsDir, instance != null, settings,
        environment, clock);
    listeners.forEach(builder::listener);
    if (o.output().requestsLog != null) {
      builder.losslessListener(ResultOutputs.REQUESTS_LOG, new RequestsLog(o.output().requestsLog));
    }
    busSettings(settings, builder);
    return new Plan(builder, id, description, load.host(), load.runTime(), scenarioLoader, sharded, sessions);
  }

  /** The load a run gets: the options', or a web form's over them. */
  private record Load(String host, Integer users, Double spawnRate, Duration runTime) {

    static Load of(RunOptions options, WebRunRequest form) {
      if (form == null) {
        return new Load(options.scenario().host, options.load().users, options.load().spawnRate, options.load().runTime);
      }
      return new Load(form.host() != null ? form.host() : options.scenario().host, form.users(), form.spawnRate(),
          form.runTime());
    }
  }

  private void checkTarget(String host, List<String> problems) {
    String scenario = o.scenario().scenario;
    String url = o.scenario().url;
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
  }

  private void checkLoad(Load load, List<String> problems) {
    if (load.users() != null && load.users() < 1) {
      problems.add("--users must be >= 1 but was " + load.users());
    }
    if (o.load().threads != null && o.load().threads < 1) {
      problems.add("--threads must be >= 1 but was " + o.load().threads);
    }
    if (load.spawnRate() != null && !(load.spawnRate() > 0)) {
      problems.add("--spawn-rate must be > 0 but was " + load.spawnRate());
    }
    if (o.load().arrivalRate != null && !(o.load().arrivalRate > 0)) {
      problems.add("--arrival-rate must be > 0 but was " + o.load().arrivalRate);
    }
    if (load.runTime() != null && (load.runTime().isZero() || load.runTime().isNegative())) {
      problems.add("--run-time must be > 0");
    }
  }

  private Map<String, String> tags(List<String> problems) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : o.export().tags) {
      int equals = tag.indexOf('=');
      if (equals <= 0) {
        problems.add("--tag " + tag + " must be key=value");
      } else {
        tags.put(tag.substring(0, equals).trim(), tag.substring(equals + 1).trim());
      }
    }
    return tags;
  }

  /** Listener, bus and store settings from --config, the environment, --set and --kpi. */
  private ConfigSource settings(ListenerLoader loader) {
    Set<String> prefixes = new HashSet<>(loader.settingPrefixes());
    prefixes.addAll(ListenerLoader.ENGINE_PREFIXES);
    List<String> fromOptions = new ArrayList<>(o.export().sets);
    if (o.verdict().kpi != null) {
      fromOptions.add("kpi.file=" + o.verdict().kpi.toAbsolutePath());
    }
    return Settings.resolve(o.export().config, environment, fromOptions, prefixes);
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
        Duration value = Durations.parse(stopTimeout);
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
