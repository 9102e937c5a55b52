package dev.stampede.listener.prometheus;

import static dev.stampede.listener.prometheus.PrometheusNames.ERROR;
import static dev.stampede.listener.prometheus.PrometheusNames.METHOD;
import static dev.stampede.listener.prometheus.PrometheusNames.NAME;
import static dev.stampede.listener.prometheus.PrometheusNames.OUTCOME;

import dev.stampede.ExportReport;
import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.config.ConfigSource;
import dev.stampede.listener.Backoff;
import dev.stampede.listener.PushSender;
import dev.stampede.listener.WarmUp;
import dev.stampede.support.WarnThenDebugLogger;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a run's results to Prometheus through a Micrometer {@link PrometheusMeterRegistry}:
 * served on {@code /metrics} for Prometheus to scrape, pushed to a Pushgateway, and/or sent with
 * remote write; pushes go through the SPI's {@link PushSender} (bounded, jittered backoff, flush
 * timeout, only what the backend confirmed counts as delivered).
 *
 * <p>Exported series (every one also labelled {@code run_id} and with the run's tags):
 * <ul>
 *   <li>{@code stampede_requests_total{method,name,outcome}}: counter, outcome {@code success} or
 *       {@code failure};
 *   <li>{@code stampede_request_duration_seconds{method,name}}: histogram with the configured
 *       classic buckets ({@link PrometheusConfig#buckets()}) and native (exponential, schema 5)
 *       buckets, the latter in the protobuf exposition and in remote write;
 *   <li>{@code stampede_response_size_bytes{method,name}}: summary (count, sum, max);
 *   <li>{@code stampede_failures_total{method,name,error}}: counter by error class;
 *   <li>{@code stampede_users}: gauge;
 *   <li>{@code stampede_run_start_timestamp_seconds}, {@code stampede_run_end_timestamp_seconds}:
 *       gauges for dashboard annotations;
 *   <li>{@code stampede_export_dropped_total{reason}}: results this listener could not record.
 * </ul>
 *
 * <p>Counts are cumulative over the run and exact: every result handed to {@link #onResults} is in
 * them. One registry per run; create a new listener for each run.
 */
public final class PrometheusListener implements Listener {

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusListener.class);
  private final WarnThenDebugLogger recordFailures = new WarnThenDebugLogger(PrometheusListener.class);

  /** The native histograms' initial schema: buckets 2^(2^-5) apart, about 1% relative error. */
  static final int NATIVE_SCHEMA = 5;
  /**
   * The most native buckets per series before client_java halves the resolution. At schema 5, 1,000
   * buckets span a factor of 2^31, 100 µs to days, so response times never lower it.
   */
  static final int NATIVE_MAX_BUCKETS = 1_000;
  /** Pushes waiting at most, per push mode: one per interval, so hours of a backend outage. */
  private static final int PUSH_TOKENS = 10_000;

  /** The reason label of results that could not be recorded in the registry. */
  static final String REASON_RECORD_ERROR = "record_error";

  private final boolean serve;
  private final String host;
  private final int port;
  private final Duration linger;
  private final int lingerScrapes;
  private final Duration[] buckets;
  private final int maxEndpoints;
  private final int maxErrors;
  private final PrometheusConfig config;
  private final Clock clock;

  private final Map<String, Map<String, EndpointMeters>> endpoints = new HashMap<>();
  private final Map<String, EndpointMeters> overflowByMethod = new HashMap<>();
  /** The last result's endpoint and its meters (never the overflow's: each of those uses is counted). */
  private String lastMethod;
  private String lastName;
  private EndpointMeters lastMeters;
  /** Endpoints with successes of the current batch not yet added to their counter. */
  private final List<EndpointMeters> touched = new ArrayList<>();
  private final AtomicInteger users = new AtomicInteger();
  private final AtomicLong recorded = new AtomicLong();
  private CardinalityLimiter<List<String>> endpointLimiter;
  private CardinalityLimiter<String> errorLimiter;
  private PrometheusMeterRegistry registry;
  private Counter droppedCounter;
  private Histogram durations;
  private long dropped;
  private ScrapeServer server;
  private final List<Push> pushes = new ArrayList<>();
  private volatile double endSeconds = Double.NaN;

  private PrometheusListener(Builder builder) {
    PrometheusConfig config = builder.config;
    config.validate();
    this.serve = config.server();
    this.host = config.host();
    this.port = config.port();
    this.linger = config.linger();
    this.lingerScrapes = config.lingerScrapes();
    this.buckets = config.buckets().toArray(new Duration[0]);
    this.maxEndpoints = config.maxEndpoints();
    this.maxErrors = config.maxErrors();
    this.config = config;
    this.clock = builder.clock;
  }

  /** A builder reading the default configuration and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the registry, starts the {@code /metrics} server and the push thread.
   *
   * @throws java.io.UncheckedIOException when the server's address cannot be bound, which fails
   *     the run before any load is sent
   * @throws IllegalStateException when called a second time: a listener serves one run
   */
  @Override
  public void onStart(RunInfo run) {
    if (registry != null) {
      throw new IllegalStateException("a PrometheusListener exports one run; create a new one for run " + run.runId());
    }
    createMeters(run);
    if (serve) {
      server = ScrapeServer.start(host, port, registry.getPrometheusRegistry());
      LOG.info("Serving Prometheus metrics on http://{}:{}{}", host, server.port(), ScrapeServer.PATH);
    }
    String runId = PrometheusNames.labelValue(run.runId());
    String instance = PrometheusNames.labelValue(run.instance());
    if (config.pushgatewayUrl() != null) {
      PushgatewayTransport transport = new PushgatewayTransport(registry.getPrometheusRegistry(),
          config.pushgatewayUrl(), config.pushgatewayJob(), runId, instance, config.pushgatewayUsername(),
          config.pushgatewayPassword(), config.pushgatewayTimeout());
      pushes.add(new Push("pushgateway", transport.target(), transport, config.pushgatewayInterval(),
          config.pushgatewayRetries()));
    }
    if (config.remoteWriteUrl() != null) {
      RemoteWriteEncoder encoder = new RemoteWriteEncoder(Map.of("job", config.pushgatewayJob(),
          PrometheusNames.INSTANCE, instance));
      RemoteWriteTransport transport = new RemoteWriteTransport(registry.getPrometheusRegistry(), encoder,
          config.remoteWriteUrl(), config.remoteWriteUsername(), config.remoteWritePassword(),
          config.remoteWriteTimeout(), clock::wallTime);
      pushes.add(new Push("remote-write", transport.target(), transport, config.remoteWriteInterval(),
          config.remoteWriteRetries()));
    }
    for (Push push : pushes) {
      push.start();
    }
  }

  /**
   * Records synthetic results into throw-away listeners of this configuration and clock whose
   * registries are never served nor pushed, then closed.
   */
  @Override
  public void warmUp(Duration budget) {
    List<PrometheusListener> copies = new ArrayList<>();
    try {
      WarmUp.run(budget, () -> {
        PrometheusListener copy = builder().config(config).clock(clock).build();
        copies.add(copy);
        copy.createMeters(new RunInfo("warm-up", "warm-up", "", "warm-up", Map.of(), java.time.Instant.EPOCH));
        return copy::onResults;
      });
    } finally {
      for (PrometheusListener copy : copies) {
        copy.registry.close();
      }
    }
  }

  /** The registry, its common tags and the meters every run has; nothing served or pushed yet. */
  private void createMeters(RunInfo run) {
    registry = new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT,
        new PrometheusRegistry(), clock);
    List<Tag> common = new ArrayList<>();
    common.add(Tag.of(PrometheusNames.RUN_ID, PrometheusNames.labelValue(run.runId())));
    PrometheusNames.tagLabels(run.tags()).forEach((k, v) -> common.add(Tag.of(k, v)));
    registry.config().commonTags(common);
    endpointLimiter = new CardinalityLimiter<>(maxEndpoints);
    errorLimiter = new CardinalityLimiter<>(maxErrors);

    double startSeconds = run.startedAt().toEpochMilli() / 1000.0;
    Gauge.builder(PrometheusNames.METER_USERS, users, AtomicInteger::get)
        .description("Users running now").register(registry);
    Gauge.builder(PrometheusNames.METER_RUN_START, () -> startSeconds).baseUnit("seconds")
        .description("When the load started, in seconds since the Unix epoch").register(registry);
    droppedCounter = Counter.builder(PrometheusNames.METER_EXPORT_DROPPED)
        .tag(PrometheusNames.REASON, REASON_RECORD_ERROR)
        .description("Results this listener received but could not record").register(registry);

    // Response times go to a client_java histogram in the registry Micrometer exports, because
    // Micrometer writes classic histograms only (micrometer #4923): this one keeps the classic
    // buckets for servers without native histograms and adds exponential buckets (schema 5,
    // about 1% relative error) that sum exactly across load generators.
    Map<String, String> constant = new TreeMap<>();
    constant.put(PrometheusNames.RUN_ID, PrometheusNames.labelValue(run.runId()));
    constant.putAll(PrometheusNames.tagLabels(run.tags()));
    double[] bounds = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      bounds[i] = buckets[i].toNanos() / 1e9;
    }
    durations = Histogram.builder()
        .name(PrometheusNames.DURATION)
        .help("Response times")
        .labelNames(METHOD, NAME)
        .constLabels(Labels.of(new ArrayList<>(constant.keySet()), new ArrayList<>(constant.values())))
        .classicUpperBounds(bounds)
        .nativeInitialSchema(NATIVE_SCHEMA)
        .nativeMaxNumberOfBuckets(NATIVE_MAX_BUCKETS)
        .register(registry.getPrometheusRegistry());
  }

  /**
   * One way of pushing (Pushgateway, remote write) through the SPI's {@link PushSender}. Each item
   * stands for the results recorded since the previous one; a push carries cumulative counts, so
   * the one that lands confirms every item before it, and what is never confirmed is reported lost.
   */
  private final class Push {
    private final String mode;
    private final String target;
    private final PushSender<Long> sender;
    private final long intervalNanos;
    private long nextNanos;
    private long offered;

    Push(String mode, String target, PushSender.Transport<Long> transport, Duration interval, int retries) {
      this.mode = mode;
      this.target = target;
      Duration backoff = config.pushgatewayRetryBackoff();
      this.sender = PushSender.builder("prometheus " + mode, transport)
          .weight(Long::longValue)
          .batchSize(PUSH_TOKENS)
          .bufferSize(PUSH_TOKENS)
          .backoff(new Backoff(backoff, backoff.multipliedBy(16), retries + 1))
          .build();
      this.intervalNanos = interval.toNanos();
    }

    void start() {
      sender.start();
      nextNanos = clock.monotonicTime() + intervalNanos;
    }

    /** Hands the sender the results recorded since the last push, when the interval has passed. */
    void maybePush() {
      long now = clock.monotonicTime();
      if (now - nextNanos >= 0) {
        nextNanos = now + intervalNanos;
        pushNow();
      }
    }

    void pushNow() {
      long total = recorded.get();
      sender.offer(total - offered);
      offered = total;
    }
  }

  /**
   * Records a batch. Per result: the response time (native and classic buckets) and the response
   * size; successes are counted per endpoint and added to the counters once per batch, and the
   * results recorded once per batch, so a scrape sees a batch whole or not at all, as for pushes.
   */
  @Override
  public void onResults(List<RequestResult> batch) {
    long recordedNow = 0;
    try {
      for (RequestResult result : batch) {
        try {
          record(result);
          recordedNow++;
        } catch (RuntimeException e) {
          dropped++;
          droppedCounter.increment();
          recordFailures.log("Prometheus listener could not record a result", e);
        }
      }
    } finally {
      for (EndpointMeters meters : touched) {
        meters.addSuccesses();
      }
      touched.clear();
      recorded.addAndGet(recordedNow);
    }
    maybePush();
  }

  @Override
  public void onTick(Snapshot snapshot) {
    users.set(snapshot.users());
    maybePush();
  }

  /**
   * Records the end of the run, pushes once more (waiting for a push in flight first), and keeps
   * serving {@code /metrics} until the final counts were scraped or the linger ran out.
   */
  @Override
  public void onStop(Summary summary) {
    try {
      users.set(0);
      endSeconds = clock.wallTime() / 1000.0;
      Gauge.builder(PrometheusNames.METER_RUN_END, this, l -> l.endSeconds).baseUnit("seconds")
          .description("When the run stopped, in seconds since the Unix epoch").register(registry);
      // The last pushes: every sender flushes in parallel, each within the flush timeout.
      for (Push push : pushes) {
        push.pushNow();
      }
      List<Thread> flushes = new ArrayList<>();
      for (Push push : pushes) {
        flushes.add(Thread.ofVirtual().start(() -> push.sender.stop(config.flushTimeout())));
      }
      for (Thread flush : flushes) {
        flush.join();
      }
      if (server != null && !linger.isZero()) {
        int scrapes = lingerScrapes == 0 ? Integer.MAX_VALUE : lingerScrapes;
        if (!server.awaitScrapesAfterNow(scrapes, linger) && lingerScrapes > 0) {
          LOG.info("No scrape of the final metrics within the linger of {}; Prometheus may miss the last counts",
              linger);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      recordFailures.log("Prometheus listener failed to finish the run", e);
    }
  }

  /**
   * {@code failed} is the results that could not be recorded plus, when the last push to the
   * Pushgateway failed, the results recorded after the last push that landed. What a scraper did or
   * did not fetch is not known here and is not counted; {@code scrapes} says how many were served.
   */
  @Override
  public ExportReport report() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("requests_recorded", recorded.get());
    details.put("dropped", dropped);
    details.put("overflowed_endpoints", endpointLimiter == null ? 0L : endpointLimiter.overflowed());
    details.put("overflowed_errors", errorLimiter == null ? 0L : errorLimiter.overflowed());
    if (server != null) {
      details.put("port", server.port());
      details.put("scrapes", server.scrapes());
    }
    long undelivered = 0;
    for (Push push : pushes) {
      PushSender.Counters counters = push.sender.counters();
      String prefix = push.mode.equals("pushgateway") ? "push" : "remote_write";
      details.put(push.mode.equals("pushgateway") ? "pushgateway" : "remote_write", push.target);
      details.put(push.mode.equals("pushgateway") ? "pushes" : "remote_writes", counters.confirmedSends());
      details.put(prefix + "_failures", counters.failedSends());
      details.put(prefix + "_retries", counters.retries());
      undelivered = Math.max(undelivered, counters.resultsLost());
    }
    return new ExportReport(dropped + undelivered, details);
  }

  /** Stops the server and the push thread. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    for (Push push : pushes) {
      push.sender.stop(Duration.ofMillis(1));
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** The port {@code /metrics} is served on once started, or -1 when not serving. */
  public int port() {
    ScrapeServer current = server;
    return current == null ? -1 : current.port();
  }

  /** The registry's exposition in the Prometheus text format, for tests. */
  String scrape() {
    return registry.scrape();
  }

  private void record(RequestResult result) {
    EndpointMeters meters = meters(result.method(), result.name());
    meters.duration.observe(result.responseTimeNanos() / 1e9);
    meters.size.record(result.bytes());
    if (result.success()) {
      if (meters.pendingSuccesses++ == 0) {
        touched.add(meters);
      }
    } else {
      meters.failure.increment();
      meters.failureCounter(PrometheusNames.errorClass(result.status(), result.failure())).increment();
    }
  }

  private EndpointMeters meters(String method, String name) {
    // Consecutive results are mostly of one endpoint: the last one's meters skip two map lookups.
    // Compared with the strings, which are null at first, rather than checking lastMeters for null:
    // a branch only the first result takes would be compiled as a trap that the run's first result
    // springs, throwing the warmed-up code away.
    if (name.equals(lastName) && method.equals(lastMethod)) {
      return lastMeters;
    }
    Map<String, EndpointMeters> byName = endpoints.computeIfAbsent(method, m -> new HashMap<>());
    EndpointMeters meters = byName.get(name);
    if (meters != null) {
      return remember(method, name, meters);
    }
    if (endpointLimiter.admit(List.of(method, name))) {
      meters = new EndpointMeters(method, name);
      byName.put(name, meters);
      return remember(method, name, meters);
    }
    if (endpointLimiter.overflowed() == 1) {
      LOG.warn("More than {} distinct endpoints: further endpoints are exported as name=\"{}\" "
              + "(group URLs with ids under one name, or raise prometheus.max-endpoints)",
          maxEndpoints, PrometheusNames.OTHER);
    }
    return overflowByMethod.computeIfAbsent(method, m -> new EndpointMeters(m, PrometheusNames.OTHER));
  }

  private EndpointMeters remember(String method, String name, EndpointMeters meters) {
    lastMethod = method;
    lastName = name;
    lastMeters = meters;
    return meters;
  }

  private void maybePush() {
    for (Push push : pushes) {
      push.maybePush();
    }
  }

  /** The meters of one endpoint; created on its first result. */
  private final class EndpointMeters {
    private final Tags tags;
    private final Counter success;
    private final Counter failure;
    private final DistributionDataPoint duration;
    private final DistributionSummary size;
    private final Map<String, Counter> failuresByError = new HashMap<>();
    private Counter otherErrors;
    private long pendingSuccesses;

    EndpointMeters(String method, String name) {
      this.tags = Tags.of(METHOD, PrometheusNames.labelValue(method), NAME, PrometheusNames.labelValue(name));
      // Both outcomes exist from the first result on, so error-rate queries return 0, not nothing.
      this.success = Counter.builder(PrometheusNames.METER_REQUESTS).tags(tags)
          .tag(OUTCOME, PrometheusNames.SUCCESS).description("Requests completed").register(registry);
      this.failure = Counter.builder(PrometheusNames.METER_REQUESTS).tags(tags)
          .tag(OUTCOME, PrometheusNames.FAILURE).description("Requests completed").register(registry);
      this.duration = durations.labelValues(PrometheusNames.labelValue(method), PrometheusNames.labelValue(name));
      this.size = DistributionSummary.builder(PrometheusNames.METER_RESPONSE_SIZE).tags(tags).baseUnit("bytes")
          .description("Response body sizes").register(registry);
    }

    void addSuccesses() {
      success.increment(pendingSuccesses);
      pendingSuccesses = 0;
    }

    Counter failureCounter(String error) {
      Counter counter = failuresByError.get(error);
      if (counter != null) {
        return counter;
      }
      if (errorLimiter.admit(error)) {
        counter = register(error);
        failuresByError.put(error, counter);
        return counter;
      }
      if (otherErrors == null) {
        otherErrors = register(PrometheusNames.OTHER);
      }
      return otherErrors;
    }

    private Counter register(String error) {
      return Counter.builder(PrometheusNames.METER_FAILURES).tags(tags).tag(ERROR, error)
          .description("Failed requests by error class").register(registry);
    }
  }

  /** Builds a {@link PrometheusListener}. */
  public static final class Builder {
    private PrometheusConfig config = PrometheusConfig.of(ConfigSource.empty());
    private Clock clock = Clock.SYSTEM;

    private Builder() {}

    /** The configuration. The default reads no keys, so every setting takes its default. */
    public Builder config(PrometheusConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Shorthand for {@code config(PrometheusConfig.of(source))}. */
    public Builder config(ConfigSource source) {
      return config(PrometheusConfig.of(source));
    }

    /**
     * The clock of the registry (timer maxima) and of the push interval. The default is
     * {@link Clock#SYSTEM}; tests pass a {@code MockClock}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Validates the configuration and builds the listener; nothing is started until
     * {@link PrometheusListener#onStart}.
     *
     * @throws dev.stampede.config.ConfigException listing every problem with the configuration
     */
    public PrometheusListener build() {
      return new PrometheusListener(this);
    }
  }
}
