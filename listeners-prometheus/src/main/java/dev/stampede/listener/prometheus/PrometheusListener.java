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
import dev.stampede.support.WarnThenDebugLogger;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a run's results to Prometheus through a Micrometer {@link PrometheusMeterRegistry}:
 * served on {@code /metrics} for Prometheus to scrape, and/or pushed to a Pushgateway.
 *
 * <p>Exported series (every one also labelled {@code run_id} and with the run's tags):
 * <ul>
 *   <li>{@code stampede_requests_total{method,name,outcome}}: counter, outcome {@code success} or
 *       {@code failure};
 *   <li>{@code stampede_request_duration_seconds{method,name}}: histogram with the configured
 *       buckets ({@link PrometheusConfig#buckets()}), plus its {@code _max};
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
  private final URI pushgatewayUrl;
  private final String pushgatewayJob;
  private final Duration pushInterval;
  private final int pushRetries;
  private final Duration pushRetryBackoff;
  private final Duration pushTimeout;
  private final String pushUsername;
  private final String pushPassword;
  private final Clock clock;

  private final Map<String, Map<String, EndpointMeters>> endpoints = new HashMap<>();
  private final Map<String, EndpointMeters> overflowByMethod = new HashMap<>();
  private final AtomicInteger users = new AtomicInteger();
  private final AtomicLong recorded = new AtomicLong();
  private CardinalityLimiter<List<String>> endpointLimiter;
  private CardinalityLimiter<String> errorLimiter;
  private PrometheusMeterRegistry registry;
  private Counter droppedCounter;
  private long dropped;
  private ScrapeServer server;
  private Pusher pusher;
  private ExecutorService pushExecutor;
  private Future<Boolean> pushInFlight;
  private long nextPushNanos;
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
    this.pushgatewayUrl = config.pushgatewayUrl();
    this.pushgatewayJob = config.pushgatewayJob();
    this.pushInterval = config.pushgatewayInterval();
    this.pushRetries = config.pushgatewayRetries();
    this.pushRetryBackoff = config.pushgatewayRetryBackoff();
    this.pushTimeout = config.pushgatewayTimeout();
    this.pushUsername = config.pushgatewayUsername();
    this.pushPassword = config.pushgatewayPassword();
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

    if (serve) {
      server = ScrapeServer.start(host, port, registry);
      LOG.info("Serving Prometheus metrics on http://{}:{}{}", host, server.port(), ScrapeServer.PATH);
    }
    if (pushgatewayUrl != null) {
      pusher = new Pusher(registry.getPrometheusRegistry(), pushgatewayUrl, pushgatewayJob,
          PrometheusNames.labelValue(run.runId()), PrometheusNames.labelValue(run.instance()),
          pushUsername, pushPassword, pushRetries, pushRetryBackoff, pushTimeout, recorded::get);
      pushExecutor = Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("stampede-prometheus-push").factory());
      nextPushNanos = clock.monotonicTime() + pushInterval.toNanos();
    }
  }

  @Override
  public void onResults(List<RequestResult> batch) {
    for (RequestResult result : batch) {
      try {
        record(result);
      } catch (RuntimeException e) {
        dropped++;
        droppedCounter.increment();
        recordFailures.log("Prometheus listener could not record a result", e);
      }
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
      if (pusher != null) {
        awaitPushInFlight();
        pusher.push();
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
    if (pusher != null) {
      details.put("pushgateway", pusher.target());
      details.put("pushes", pusher.pushes());
      details.put("push_failures", pusher.failures());
      details.put("push_retries", pusher.retried());
      undelivered = pusher.undelivered();
    }
    return new ExportReport(dropped + undelivered, details);
  }

  /** Stops the server and the push thread. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (pushExecutor != null) {
      pushExecutor.shutdownNow();
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
    meters.duration.record(result.responseTimeNanos(), TimeUnit.NANOSECONDS);
    meters.size.record(result.bytes());
    if (result.success()) {
      meters.success.increment();
    } else {
      meters.failure.increment();
      meters.failureCounter(PrometheusNames.errorClass(result.status(), result.failure())).increment();
    }
    recorded.incrementAndGet();
  }

  private EndpointMeters meters(String method, String name) {
    Map<String, EndpointMeters> byName = endpoints.computeIfAbsent(method, m -> new HashMap<>());
    EndpointMeters meters = byName.get(name);
    if (meters != null) {
      return meters;
    }
    if (endpointLimiter.admit(List.of(method, name))) {
      meters = new EndpointMeters(method, name);
      byName.put(name, meters);
      return meters;
    }
    if (endpointLimiter.overflowed() == 1) {
      LOG.warn("More than {} distinct endpoints: further endpoints are exported as name=\"{}\" "
              + "(group URLs with ids under one name, or raise prometheus.max-endpoints)",
          maxEndpoints, PrometheusNames.OTHER);
    }
    return overflowByMethod.computeIfAbsent(method, m -> new EndpointMeters(m, PrometheusNames.OTHER));
  }

  private void maybePush() {
    if (pusher == null) {
      return;
    }
    long now = clock.monotonicTime();
    if (now - nextPushNanos < 0 || (pushInFlight != null && !pushInFlight.isDone())) {
      return;
    }
    nextPushNanos = now + pushInterval.toNanos();
    pushInFlight = pushExecutor.submit(pusher::push);
  }

  private void awaitPushInFlight() throws InterruptedException {
    if (pushInFlight == null) {
      return;
    }
    // One push takes at most (retries + 1) timeouts of connect and read, plus the backoffs.
    Duration bound = pushTimeout.multipliedBy(2L * (pushRetries + 1))
        .plus(pushRetryBackoff.multipliedBy((long) pushRetries * (pushRetries + 1) / 2));
    try {
      pushInFlight.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("push in flight did not complete", e);
    }
  }

  /** The meters of one endpoint; created on its first result. */
  private final class EndpointMeters {
    private final Tags tags;
    private final Counter success;
    private final Counter failure;
    private final Timer duration;
    private final DistributionSummary size;
    private final Map<String, Counter> failuresByError = new HashMap<>();
    private Counter otherErrors;

    EndpointMeters(String method, String name) {
      this.tags = Tags.of(METHOD, PrometheusNames.labelValue(method), NAME, PrometheusNames.labelValue(name));
      // Both outcomes exist from the first result on, so error-rate queries return 0, not nothing.
      this.success = Counter.builder(PrometheusNames.METER_REQUESTS).tags(tags)
          .tag(OUTCOME, PrometheusNames.SUCCESS).description("Requests completed").register(registry);
      this.failure = Counter.builder(PrometheusNames.METER_REQUESTS).tags(tags)
          .tag(OUTCOME, PrometheusNames.FAILURE).description("Requests completed").register(registry);
      this.duration = Timer.builder(PrometheusNames.METER_DURATION).tags(tags)
          .serviceLevelObjectives(buckets).description("Response times").register(registry);
      this.size = DistributionSummary.builder(PrometheusNames.METER_RESPONSE_SIZE).tags(tags).baseUnit("bytes")
          .description("Response body sizes").register(registry);
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
