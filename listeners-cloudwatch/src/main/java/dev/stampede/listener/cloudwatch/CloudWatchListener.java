package dev.stampede.listener.cloudwatch;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.ExportReport;
import dev.stampede.listener.Backoff;
import dev.stampede.listener.StepListener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.kpi.KpiFile;
import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import dev.stampede.stats.IntervalAggregator;
import dev.stampede.stats.IntervalStats;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

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
 * <p>Calls go out asynchronously, at most {@value #MAX_IN_FLIGHT_CALLS} at once, in batches of at
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
 */
public final class CloudWatchListener extends StepListener {

  /** Calls waiting for CloudWatch at once before the listener thread waits for a slot. */
  static final int MAX_IN_FLIGHT_CALLS = 16;

  /** Extra calls a run may spend splitting rejected batches to isolate bad datums. */
  static final int MAX_SPLIT_CALLS = 1_000;

  /**
   * PutMetricAlarm calls per second at most: the API's default quota is 3 transactions per second
   * per account and Region.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
   */
  static final int MAX_PUT_METRIC_ALARM_PER_SECOND = 3;

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchListener.class);
  private static final String METRIC_RESPONSE_TIME = "ResponseTime";
  private static final String METRIC_REQUEST_COUNT = "RequestCount";
  private static final String METRIC_FAILURE_COUNT = "FailureCount";
  private static final String METRIC_RESPONSE_SIZE = "ResponseSize";
  private static final String METRIC_USER_COUNT = "UserCount";

  /** Set on the start-up rehearsal call, which the client stops just before it would be sent. */
  private static final ExecutionAttribute<Boolean> REHEARSAL = new ExecutionAttribute<>("StampedeRehearsal");

  /** How long start waits for the rehearsal at most: the SDK's default credential chain can be slow. */
  private static final Duration REHEARSAL_TIMEOUT = Duration.ofSeconds(5);

  private final CloudWatchConfig config;
  private final String namespace;
  private final int storageResolution;
  private final boolean runIdDimension;
  private final boolean responseSize;
  private final Duration flushTimeout;
  private final double pricePer1000Requests;
  private final int maxEndpoints;
  private final Map<String, String> constantDimensions;
  private final DatumBatcher batcher;
  private final AwsCredentialsProvider credentialsProvider;
  private final Duration retryBaseDelay;
  private final boolean ownsClient;
  private CloudWatchAsyncClient client;

  private final WarnThenDebugLogger sendFailures = new WarnThenDebugLogger(CloudWatchListener.class);
  private final WarnThenDebugLogger rejections = new WarnThenDebugLogger(CloudWatchListener.class);
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_CALLS);
  private final Set<Call> pending = ConcurrentHashMap.newKeySet();
  private final Object pendingLock = new Object();
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private final AtomicInteger splitCallsLeft = new AtomicInteger(MAX_SPLIT_CALLS);
  private final Set<String> customMetrics = ConcurrentHashMap.newKeySet();
  private final AtomicLong apiCalls = new AtomicLong();
  private final AtomicLong httpRequests = new AtomicLong();
  private final AtomicLong datumsSent = new AtomicLong();
  private final AtomicLong datumsFailed = new AtomicLong();
  private final AtomicLong datumsRejected = new AtomicLong();
  private final AtomicLong failedResults = new AtomicLong();
  private final AtomicLong dashboardCalls = new AtomicLong();
  private volatile String dashboardOutcome = "";
  private CompletableFuture<?> dashboardWrite;

  private final KpiFile kpiFile;
  private final int alarmPeriodSeconds;
  private final Duration alarmSpacing;
  private AlarmWriter alarms;

  private List<Dimension> baseDimensions = List.of();
  private int intervalMaxUsers = -1;

  private CloudWatchListener(Builder builder) {
    super(builder.config.step(), builder.config.maxEndpoints(), builder.clock);
    this.config = builder.config;
    config.validate();
    this.namespace = config.namespace();
    this.storageResolution = config.storageResolution();
    this.runIdDimension = config.runIdDimension();
    this.responseSize = config.responseSize();
    this.flushTimeout = config.flushTimeout();
    this.pricePer1000Requests = config.pricePer1000Requests();
    this.maxEndpoints = config.maxEndpoints();
    Map<String, String> constants = new LinkedHashMap<>();
    config.service().ifPresent(s -> constants.put("Service", s));
    config.environment().ifPresent(e -> constants.put("Environment", e));
    constants.putAll(config.dimensions());
    this.constantDimensions = Map.copyOf(constants);
    this.batcher = new DatumBatcher(config.batchSize());
    this.credentialsProvider = builder.credentialsProvider;
    this.retryBaseDelay = builder.retryBaseDelay;
    this.client = builder.client;
    this.ownsClient = builder.client == null;
    // Loaded here, at configuration time, so that a bad file stops the run before any load.
    this.kpiFile = config.alarms() ? KpiFile.load(config.kpiFile().orElseThrow(), new YAMLFactory()) : null;
    this.alarmPeriodSeconds = KpiAlarms.periodSeconds(config.step(), storageResolution);
    this.alarmSpacing = builder.alarmSpacing;
  }

  /** A builder for a listener configured by {@code config}. */
  public static Builder builder(CloudWatchConfig config) {
    return new Builder(config);
  }

  @Override
  protected void start(RunInfo run) {
    if (client == null) {
      client = buildClient();
    }
    List<Dimension> base = new ArrayList<>();
    constantDimensions.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> base.add(dimension(e.getKey(), e.getValue())));
    if (runIdDimension) {
      base.add(dimension("RunId", run.runId()));
    }
    baseDimensions = List.copyOf(base);
    if (ownsClient) {
      rehearse(); // only a client built here stops the rehearsal before sending it
    }
    config.dashboard().ifPresent(this::putDashboard);
    if (kpiFile != null) {
      alarms = AlarmWriter.start(client, new KpiAlarms(namespace, kpiFile, alarmPeriodSeconds, baseDimensions,
          CloudWatchListener::dimension, LocalDate.now(clock())), alarmPeriodSeconds, stepMillis(), alarmSpacing,
          flushTimeout);
    }
    LOG.info("cloudwatch: sending to namespace {} every {} s, {} datums per call at most",
        namespace, stepMillis() / 1000.0, config.batchSize());
  }

  /**
   * Runs one PutMetricData call of this listener's shape through the whole client (building,
   * marshalling to CBOR, compression, credentials, signing), stopped just before it would be sent.
   * Without it, the SDK's first call loads some 750 classes (of ~1,400 that load with the first
   * call; the rest are Netty's connection, which only a real call can make) at the first step
   * boundary, inside the run, taking CPU from the users (BENCHMARKS.md, issue 8 sixth round). It
   * also says at start when the credentials cannot be found, instead of at the first step.
   */
  private void rehearse() {
    IntervalAggregator sample = new IntervalAggregator(maxEndpoints, stepStartMillis());
    sample.add(new RequestResult(stepStartMillis() * 1000, "GET", "/", 1_000_000, 0, 200, null, Map.of()));
    List<OutgoingDatum> datums = datums(sample.drain(stepStartMillis() + 1));
    PutMetricDataRequest request = PutMetricDataRequest.builder()
        .overrideConfiguration(o -> o.putExecutionAttribute(REHEARSAL, Boolean.TRUE))
        .namespace(namespace)
        .metricData(datums.stream().map(OutgoingDatum::datum).toList())
        .build();
    Throwable error;
    try {
      client.putMetricData(request).get(REHEARSAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return; // not reached: the interceptor stops every rehearsal
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (TimeoutException e) {
      LOG.info("cloudwatch: the client was not ready within {} s (finding credentials?); the run starts anyway",
          REHEARSAL_TIMEOUT.toSeconds());
      return;
    } catch (ExecutionException | RuntimeException e) {
      error = e;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RehearsalStopped) {
        return;
      }
    }
    LOG.warn("cloudwatch: a PutMetricData call cannot be prepared, so the run's metrics will likely not be"
        + " delivered: {}", WarnThenDebugLogger.describe(unwrap(error instanceof ExecutionException ? error.getCause() : error)));
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
    flush(step, System.nanoTime() + flushTimeout.toNanos());
  }

  @Override
  protected void stop(Summary summary) {
    long deadline = System.nanoTime() + flushTimeout.toNanos();
    if (alarms != null) {
      alarms.putUnresolved();
    }
    awaitPending(deadline);
    awaitDashboard(deadline);
    if (alarms != null) {
      alarms.await(deadline);
    }
  }

  private void awaitDashboard(long deadlineNanos) {
    if (dashboardWrite == null) {
      return;
    }
    try {
      dashboardWrite.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The outcome is logged and reported by the write's own callback; a timeout reads as pending.
    }
  }

  @Override
  public ExportReport report() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("namespace", namespace);
    details.put("api_calls", apiCalls.get());
    details.put("http_requests", httpRequests.get());
    details.put("datums_sent", datumsSent.get());
    details.put("datums_failed", datumsFailed.get());
    details.put("datums_rejected", datumsRejected.get());
    details.put("custom_metrics", (long) customMetrics.size());
    details.put("estimated_cost_usd", estimatedCostUsd());
    details.put("results_folded_into_other", overflowedEndpoints());
    if (!dashboardOutcome.isEmpty()) {
      details.put("dashboard", dashboardOutcome);
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
    return new ExportReport(failedResults.get() + resultsLost(), details);
  }

  @Override
  public void close() {
    abandonPending();
    if (alarms != null) {
      alarms.abandon();
    }
    if (ownsClient && client != null) {
      client.close();
    }
  }

  /** The cost the calls made imply at the configured price, in US dollars, rounded to 6 decimals. */
  double estimatedCostUsd() {
    double cost = (apiCalls.get() + dashboardCalls.get() + (alarms == null ? 0 : alarms.calls())) * pricePer1000Requests / 1000.0;
    return Math.round(cost * 1e6) / 1e6;
  }

  private void flush(IntervalStats stats, long deadlineNanos) {
    if (alarms != null) {
      alarms.resolve(stats.endpoints());
    }
    List<OutgoingDatum> datums = datums(stats);
    if (datums.isEmpty()) {
      return;
    }
    for (List<OutgoingDatum> batch : batcher.batches(datums)) {
      if (!acquireSlot(deadlineNanos)) {
        fail(batch, "no free call slot within the flush timeout: CloudWatch is too slow", null);
        continue;
      }
      send(batch, true);
    }
  }

  private boolean acquireSlot(long deadlineNanos) {
    try {
      return inFlight.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  List<OutgoingDatum> datums(IntervalStats stats) {
    Instant timestamp = Instant.ofEpochMilli(stats.startMillis());
    List<OutgoingDatum> datums = new ArrayList<>();
    for (IntervalStats.Endpoint endpoint : stats.endpoints()) {
      List<Dimension> dimensions = new ArrayList<>(baseDimensions.size() + 2);
      dimensions.add(dimension("Name", endpoint.name()));
      dimensions.add(dimension("Method", endpoint.method()));
      dimensions.addAll(baseDimensions);
      addEndpointDatums(datums, endpoint, dimensions, timestamp, endpoint.count());
    }
    if (stats.total() != null) {
      addEndpointDatums(datums, stats.total(), baseDimensions, timestamp, 0);
    }
    if (intervalMaxUsers >= 0) {
      datums.add(new OutgoingDatum(datum(METRIC_USER_COUNT, baseDimensions, timestamp, StandardUnit.COUNT)
          .value((double) intervalMaxUsers).build(), 0));
      intervalMaxUsers = -1;
    }
    return datums;
  }

  private void addEndpointDatums(List<OutgoingDatum> datums, IntervalStats.Endpoint endpoint,
      List<Dimension> dimensions, Instant timestamp, long results) {
    ValuesCompressor.Distribution distribution = ValuesCompressor.compress(endpoint.micros());
    List<Double> values = new ArrayList<>(distribution.size());
    List<Double> counts = new ArrayList<>(distribution.size());
    for (int i = 0; i < distribution.size(); i++) {
      values.add(distribution.valuesMillis()[i]);
      counts.add(distribution.counts()[i]);
    }
    datums.add(new OutgoingDatum(datum(METRIC_RESPONSE_TIME, dimensions, timestamp, StandardUnit.MILLISECONDS)
        .values(values).counts(counts).build(), 0));
    datums.add(new OutgoingDatum(datum(METRIC_REQUEST_COUNT, dimensions, timestamp, StandardUnit.COUNT)
        .value((double) endpoint.count()).build(), results));
    datums.add(new OutgoingDatum(datum(METRIC_FAILURE_COUNT, dimensions, timestamp, StandardUnit.COUNT)
        .value((double) endpoint.failures()).build(), 0));
    if (responseSize) {
      datums.add(new OutgoingDatum(datum(METRIC_RESPONSE_SIZE, dimensions, timestamp, StandardUnit.BYTES)
          .value((double) endpoint.bytes()).build(), 0));
    }
  }

  private MetricDatum.Builder datum(String name, List<Dimension> dimensions, Instant timestamp, StandardUnit unit) {
    return MetricDatum.builder().metricName(name).dimensions(dimensions).timestamp(timestamp)
        .unit(unit).storageResolution(storageResolution);
  }

  private static Dimension dimension(String name, String value) {
    return Dimension.builder().name(name).value(CloudWatchNaming.dimensionValue(value)).build();
  }

  /** Sends one batch; {@code holdsSlot} says whether it holds an in-flight permit to release. */
  private void send(List<OutgoingDatum> batch, boolean holdsSlot) {
    Call call = new Call(batch, holdsSlot);
    synchronized (pendingLock) {
      if (abandoned.get()) {
        call.settle();
        release(call);
        fail(batch, "the flush timeout had passed", null);
        return;
      }
      pending.add(call);
    }
    PutMetricDataRequest request = PutMetricDataRequest.builder().namespace(namespace)
        .metricData(batch.stream().map(OutgoingDatum::datum).toList()).build();
    apiCalls.incrementAndGet();
    CompletableFuture<?> future;
    try {
      future = client.putMetricData(request);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    call.future = future;
    future.whenComplete((response, error) -> complete(call, error));
  }

  private void complete(Call call, Throwable error) {
    if (!call.settle()) {
      return;
    }
    try {
      if (error == null) {
        datumsSent.addAndGet(call.batch.size());
        for (OutgoingDatum datum : call.batch) {
          customMetrics.add(metricKey(datum.datum()));
        }
        return;
      }
      Throwable cause = unwrap(error);
      if (isRejection(cause)) {
        rejections.log("CloudWatch rejected a PutMetricData call of " + call.batch.size() + " datums in namespace "
            + namespace + "; the datums are split and sent once more to isolate the bad ones", cause);
        if (call.batch.size() > 1 && splitCallsLeft.addAndGet(-2) >= 0) {
          int half = call.batch.size() / 2;
          send(List.copyOf(call.batch.subList(0, half)), false);
          send(List.copyOf(call.batch.subList(half, call.batch.size())), false);
        } else {
          datumsRejected.addAndGet(call.batch.size());
          fail(call.batch, null, null);
        }
        return;
      }
      fail(call.batch, "PutMetricData failed after retries; " + call.batch.size() + " datums are lost", cause);
    } finally {
      finish(call);
    }
  }

  private void finish(Call call) {
    release(call);
    synchronized (pendingLock) {
      pending.remove(call);
      pendingLock.notifyAll();
    }
  }

  private void release(Call call) {
    if (call.holdsSlot) {
      inFlight.release();
    }
  }

  private void fail(List<OutgoingDatum> batch, String message, Throwable cause) {
    datumsFailed.addAndGet(batch.size());
    failedResults.addAndGet(batch.stream().mapToLong(OutgoingDatum::results).sum());
    if (message != null) {
      sendFailures.log("cloudwatch: " + message, cause);
    }
  }

  private void awaitPending(long deadlineNanos) {
    synchronized (pendingLock) {
      while (!pending.isEmpty()) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(pendingLock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    abandonPending();
  }

  /** Gives up on every call still waiting: counts its datums as failed, once, and cancels it. */
  private void abandonPending() {
    List<Call> left;
    synchronized (pendingLock) {
      abandoned.set(true);
      left = new ArrayList<>(pending);
      pending.clear();
    }
    long lost = 0;
    for (Call call : left) {
      if (call.settle()) {
        release(call);
        fail(call.batch, null, null);
        lost += call.batch.size();
        if (call.future != null) {
          call.future.cancel(true);
        }
      }
    }
    if (lost > 0) {
      sendFailures.log("cloudwatch: " + lost + " datums were still undelivered when the flush timeout of "
          + flushTimeout.toMillis() + " ms ran out; they are counted as failed");
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether CloudWatch refused the content of a call, which no retry of the same call can fix. */
  static boolean isRejection(Throwable cause) {
    if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      return "InvalidParameterValue".equals(code) || "InvalidParameterCombination".equals(code)
          || "InvalidParameterValueException".equals(code) || "InvalidParameterCombinationException".equals(code)
          || service instanceof InvalidParameterValueException
          || service instanceof InvalidParameterCombinationException;
    }
    return false;
  }

  /** The metric name and sorted dimensions: what CloudWatch bills as one custom metric. */
  static String metricKey(MetricDatum datum) {
    return datum.metricName() + datum.dimensions().stream()
        .map(d -> d.name() + "=" + d.value()).sorted().collect(Collectors.joining(",", "{", "}"));
  }

  private void putDashboard(String name) {
    String body = DashboardBody.json(namespace, constantDimensions.keySet(), runIdDimension, stepMillis(),
        client.serviceClientConfiguration().region().id());
    dashboardCalls.incrementAndGet();
    dashboardOutcome = "pending " + name;
    dashboardWrite = client.putDashboard(r -> r.dashboardName(name).dashboardBody(body)).whenComplete((response, error) -> {
      if (error == null) {
        dashboardOutcome = "updated " + name;
        LOG.info("cloudwatch: dashboard {} created or updated", name);
      } else {
        dashboardOutcome = "failed " + name;
        LOG.warn("cloudwatch: dashboard {} could not be written: {}", name, WarnThenDebugLogger.describe(unwrap(error)));
      }
    });
  }

  private static BackoffStrategy sdkBackoff(Backoff backoff) {
    return attempt -> backoff.delay(Math.max(0, attempt - 1));
  }

  private CloudWatchAsyncClient buildClient() {
    RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(config.maxAttempts())
        // The SPI's one jittered backoff, in the SDK's own retry loop (the SDK counts attempts from 1).
        .backoffStrategy(sdkBackoff(new Backoff(retryBaseDelay, retryBaseDelay.multipliedBy(50), config.maxAttempts())))
        .throttlingBackoffStrategy(sdkBackoff(new Backoff(retryBaseDelay.multipliedBy(5),
            retryBaseDelay.multipliedBy(100), config.maxAttempts())))
        // A load test sends few calls; the token bucket would stop retrying exactly when a
        // throttled or flaky backend needs it most.
        .circuitBreakerEnabled(false)
        .build();
    ExecutionInterceptor attempts = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(REHEARSAL))) {
          throw new RehearsalStopped();
        }
        httpRequests.incrementAndGet();
      }
    };
    CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder()
        .overrideConfiguration(o -> {
          o.retryStrategy(retries)
              .compressionConfiguration(c -> c.requestCompressionEnabled(true))
              .apiCallTimeout(flushTimeout)
              .addExecutionInterceptor(attempts);
          config.profile().ifPresent(o::defaultProfileName);
        });
    config.region().ifPresent(region -> builder.region(Region.of(region)));
    config.endpoint().ifPresent(builder::endpointOverride);
    if (credentialsProvider != null) {
      builder.credentialsProvider(credentialsProvider);
    } else {
      config.profile().ifPresent(profile -> builder.credentialsProvider(ProfileCredentialsProvider.create(profile)));
    }
    return builder.build();
  }

  /** Stops the start-up rehearsal before it reaches the network. */
  private static final class RehearsalStopped extends RuntimeException {
    RehearsalStopped() {
      super("the rehearsal is not sent", null, false, false);
    }
  }

  /** One PutMetricData call in flight. {@link #settle()} makes sure its outcome is counted once. */
  private static final class Call {
    final List<OutgoingDatum> batch;
    final boolean holdsSlot;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile CompletableFuture<?> future;

    Call(List<OutgoingDatum> batch, boolean holdsSlot) {
      this.batch = batch;
      this.holdsSlot = holdsSlot;
    }

    boolean settle() {
      return settled.compareAndSet(false, true);
    }
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
