package dev.stampede.listener.cloudwatch;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.ExportReport;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.kpi.KpiFile;
import dev.stampede.listener.Backoff;
import dev.stampede.listener.StepListener;
import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import dev.stampede.stats.IntervalAggregator;
import dev.stampede.stats.IntervalStats;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * Exports a run's results to Amazon CloudWatch with batched, asynchronous PutMetricData calls whose
 * number depends on the endpoints and the run's length, not on the request rate.
 *
 * <p>Built on the SPI's {@link StepListener}: results are folded per wall-clock aligned
 * {@link CloudWatchConfig#step() step} (default 10 s) by the engine's
 * {@link IntervalAggregator}. At each step boundary, per endpoint (dimensions {@code Name},
 * {@code Method}) and in total (constant dimensions only) the listener sends {@code ResponseTime}
 * (Milliseconds, as {@code Values}/{@code Counts} from the interval's HdrHistogram, see
 * {@link ValuesCompressor} for the error bound), {@code RequestCount} and {@code FailureCount}
 * (Count), optionally {@code ResponseSize} (Bytes), and {@code UserCount} (Count, the most users
 * seen in the interval). Datums are timestamped with the interval's start.
 *
 * <p>Calls go out asynchronously, at most {@value MetricPublisher#MAX_IN_FLIGHT_CALLS} at once, in batches of at
 * most {@code batchSize} datums and under the 1 MB payload limit, gzip-compressed by the SDK above
 * 10 KB. The SDK retries throttling, 5xx and connection errors with the SPI's {@link Backoff}
 * (exponential, jittered), up to {@link CloudWatchConfig#maxAttempts()} attempts. A batch rejected with
 * {@code InvalidParameterValue} is logged once and split in halves, each sent once more, so one bad
 * datum does not sink its neighbours; a single rejected datum is dropped and counted. At stop the
 * last partial interval is sent and the listener waits up to the flush timeout; whatever is still
 * undelivered is counted in {@link #report()}.
 *
 * <p>With {@code cloudwatch.alarms=true} the listener also creates or updates one alarm per KPI of
 * the run's KPI file ({@link KpiAlarms} says which metric each KPI watches). The PutMetricAlarm
 * calls go out one after the other, at most {@value #MAX_PUT_METRIC_ALARM_PER_SECOND} per second,
 * off the listener thread; stop waits for them within the flush timeout. A failed alarm is logged
 * (once at warn, then at debug) and counted in {@code alarms_failed}, never fatal.
 *
 * <p>The listener only wires its parts to the step base: {@link CloudWatchClients} builds the SDK
 * client, {@link MetricDatums} shapes a step into datums, {@link MetricPublisher} sends them,
 * {@link DashboardWriter} and {@link AlarmWriter} write the dashboard and the alarms.
 */
public final class CloudWatchListener extends StepListener {

  /**
   * PutMetricAlarm calls per second at most: the API's default quota is 3 transactions per second
   * per account and Region.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
   */
  static final int MAX_PUT_METRIC_ALARM_PER_SECOND = 3;

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchListener.class);

  private final CloudWatchConfig config;
  private final String namespace;
  private final boolean runIdDimension;
  private final Duration flushTimeout;
  private final double pricePer1000Requests;
  private final Map<String, String> constantDimensions;
  private final AwsCredentialsProvider credentialsProvider;
  private final Duration retryBaseDelay;
  private final boolean ownsClient;
  private volatile CloudWatchAsyncClient client;
  private final AtomicLong httpRequests = new AtomicLong();
  private final MetricPublisher publisher;
  private MetricDatums datums;
  private DashboardWriter dashboard;

  private final KpiFile kpiFile;
  private final int alarmPeriodSeconds;
  private final Duration alarmSpacing;
  private AlarmWriter alarms;

  private int intervalMaxUsers = -1;

  private CloudWatchListener(Builder builder) {
    super(builder.config.step(), builder.config.maxEndpoints(), builder.clock);
    this.config = builder.config;
    config.validate();
    this.namespace = config.namespace();
    this.runIdDimension = config.runIdDimension();
    this.flushTimeout = config.flushTimeout();
    this.pricePer1000Requests = config.pricePer1000Requests();
    Map<String, String> constants = new LinkedHashMap<>();
    config.service().ifPresent(s -> constants.put("Service", s));
    config.environment().ifPresent(e -> constants.put("Environment", e));
    constants.putAll(config.dimensions());
    this.constantDimensions = Map.copyOf(constants);
    this.credentialsProvider = builder.credentialsProvider;
    this.retryBaseDelay = builder.retryBaseDelay;
    this.client = builder.client;
    this.ownsClient = builder.client == null;
    this.publisher = new MetricPublisher(() -> client, namespace, config.batchSize(), flushTimeout);
    // Loaded here, at configuration time, so that a bad file stops the run before any load.
    this.kpiFile = config.alarms() ? KpiFile.load(config.kpiFile().orElseThrow(), new YAMLFactory()) : null;
    this.alarmPeriodSeconds = KpiAlarms.periodSeconds(config.step(), config.storageResolution());
    this.alarmSpacing = builder.alarmSpacing;
  }

  /** A builder for a listener configured by {@code config}. */
  public static Builder builder(CloudWatchConfig config) {
    return new Builder(config);
  }

  @Override
  protected void start(RunInfo run) {
    if (client == null) {
      client = CloudWatchClients.build(config, credentialsProvider, retryBaseDelay, httpRequests::incrementAndGet);
    }
    List<Dimension> base = new ArrayList<>();
    constantDimensions.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> base.add(MetricDatums.dimension(e.getKey(), e.getValue())));
    if (runIdDimension) {
      base.add(MetricDatums.dimension("RunId", run.runId()));
    }
    List<Dimension> baseDimensions = List.copyOf(base);
    datums = new MetricDatums(baseDimensions, config.storageResolution(), config.responseSize());
    if (ownsClient) {
      rehearse(); // only a client built here sends the rehearsal to the loopback, not to the backend
    }
    config.dashboard().ifPresent(name -> dashboard = DashboardWriter.start(client, name,
        DashboardBody.json(namespace, constantDimensions.keySet(), runIdDimension, stepMillis(),
            client.serviceClientConfiguration().region().id())));
    if (kpiFile != null) {
      alarms = AlarmWriter.start(client, new KpiAlarms(namespace, kpiFile, alarmPeriodSeconds, baseDimensions,
          MetricDatums::dimension, LocalDate.now(clock())), alarmPeriodSeconds, stepMillis(), alarmSpacing,
          flushTimeout);
    }
    LOG.info("cloudwatch: sending to namespace {} every {} s, {} datums per call at most",
        namespace, stepMillis() / 1000.0, config.batchSize());
  }

  /** One PutMetricData call of this listener's shape, run through the client to a loopback stand-in ({@link CloudWatchClients#rehearse}). */
  private void rehearse() {
    IntervalAggregator sample = new IntervalAggregator(config.maxEndpoints(), stepStartMillis());
    sample.add(new RequestResult(stepStartMillis() * 1000, "GET", "/", 1_000_000, 0, 200, null, Map.of()));
    CloudWatchClients.rehearse(client, PutMetricDataRequest.builder()
        .namespace(namespace)
        .metricData(datums.of(sample.drain(stepStartMillis() + 1), -1).stream().map(OutgoingDatum::datum).toList())
        .build());
  }

  @Override
  protected void onSnapshot(Snapshot snapshot) {
    intervalMaxUsers = Math.max(intervalMaxUsers, snapshot.users());
  }

  @Override
  protected boolean hasUnpublishedData() {
    return intervalMaxUsers >= 0;
  }

  @Override
  protected void publish(IntervalStats step) {
    if (alarms != null) {
      alarms.resolve(step.endpoints());
    }
    List<OutgoingDatum> stepDatums = datums.of(step, intervalMaxUsers);
    intervalMaxUsers = -1;
    publisher.publish(stepDatums, System.nanoTime() + flushTimeout.toNanos());
  }

  @Override
  protected void stop(Summary summary) {
    long deadline = System.nanoTime() + flushTimeout.toNanos();
    if (alarms != null) {
      alarms.putUnresolved();
    }
    publisher.await(deadline);
    if (dashboard != null) {
      dashboard.await(deadline);
    }
    if (alarms != null) {
      alarms.await(deadline);
    }
  }

  @Override
  public ExportReport report() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("namespace", namespace);
    details.putAll(publisher.details(httpRequests.get()));
    details.put("estimated_cost_usd", estimatedCostUsd());
    details.put("results_folded_into_other", overflowedEndpoints());
    if (dashboard != null) {
      details.put("dashboard", dashboard.outcome());
    }
    if (kpiFile != null) {
      if (alarms != null) {
        details.putAll(alarms.details());
      } else {
        details.put("alarms_created", 0L);
        details.put("alarms_failed", 0L);
        details.put("alarms_not_created", 0L);
        details.put("alarm_period_s", (long) alarmPeriodSeconds);
      }
    }
    return new ExportReport(publisher.failedResults() + resultsLost(), details);
  }

  @Override
  public void close() {
    publisher.abandon();
    if (alarms != null) {
      alarms.abandon();
    }
    if (ownsClient && client != null) {
      client.close();
    }
  }

  /** The cost the calls made imply at the configured price, in US dollars, rounded to 6 decimals. */
  double estimatedCostUsd() {
    long calls = publisher.calls() + (dashboard == null ? 0 : dashboard.calls()) + (alarms == null ? 0 : alarms.calls());
    double cost = calls * pricePer1000Requests / 1000.0;
    return Math.round(cost * 1e6) / 1e6;
  }

  /** Builds a {@link CloudWatchListener}. */
  public static final class Builder {
    private final CloudWatchConfig config;
    private Clock clock = Clock.systemUTC();
    private CloudWatchAsyncClient client;
    private AwsCredentialsProvider credentialsProvider;
    private Duration retryBaseDelay = Duration.ofMillis(100);
    private Duration alarmSpacing = Duration.ofNanos(1_000_000_000L / MAX_PUT_METRIC_ALARM_PER_SECOND + 1);

    private Builder(CloudWatchConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The clock that decides interval boundaries and timestamps. The default is the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A client to use instead of one built from the config at start; the listener does not close it,
     * and its retry, compression and timeout settings are the caller's. The default is to build one.
     */
    public Builder client(CloudWatchAsyncClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Credentials for the client the listener builds. The default is the named profile if
     * configured, else the SDK's default credentials chain.
     */
    public Builder credentialsProvider(AwsCredentialsProvider provider) {
      this.credentialsProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * The first retry's backoff ceiling; throttling backs off from 5 times this, and each retry
     * doubles it, with full jitter. The default is 100 ms.
     */
    public Builder retryBaseDelay(Duration delay) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("retryBaseDelay must be > 0 but was " + delay);
      }
      this.retryBaseDelay = delay;
      return this;
    }

    /**
     * The least time between the starts of two PutMetricAlarm calls, for tests. The default keeps
     * to {@value CloudWatchListener#MAX_PUT_METRIC_ALARM_PER_SECOND} calls per second.
     */
    Builder alarmSpacing(Duration spacing) {
      if (spacing.isNegative()) {
        throw new IllegalArgumentException("alarmSpacing must be >= 0 but was " + spacing);
      }
      this.alarmSpacing = spacing;
      return this;
    }

    /**
     * The listener.
     *
     * @throws dev.stampede.config.ConfigException listing every problem with the configuration
     */
    public CloudWatchListener build() {
      return new CloudWatchListener(this);
    }
  }
}
