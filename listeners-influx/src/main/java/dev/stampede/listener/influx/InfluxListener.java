package dev.stampede.listener.influx;

import dev.stampede.ExportReport;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.config.Durations;
import dev.stampede.config.Secrets;
import dev.stampede.listener.Backoff;
import dev.stampede.listener.PushSender;
import dev.stampede.listener.StepListener;
import dev.stampede.stats.IntervalStats;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.influxdb.InfluxDB;

/**
 * Writes a run to InfluxDB: per {@link InfluxConfig#step() step}, one {@code requests} point per
 * endpoint and a {@code name=total} row (or, in {@link InfluxConfig.Mode#RAW raw} mode, one point
 * per request), {@code users} from every tick, {@code errors} per endpoint and message, and
 * {@code events} at start and stop for Grafana annotations. The schema is in the module's README.
 *
 * <p>Built on the SPI's {@link StepListener} (wall-clock aligned steps, the last partial step at
 * stop) and {@link PushSender} (bounded buffer, jittered backoff, flush timeout), so the load never
 * waits for InfluxDB; this class holds only what is InfluxDB's own: the points and the wire.
 * {@link #report()} counts the results whose points could not be delivered ({@link ExportReport#failed()}),
 * points written and dropped, and retries.
 *
 * <p>Create with {@link #builder()}; {@link InfluxListenerProvider} does so for {@code --listener influx}.
 */
public final class InfluxListener extends StepListener {

  private final InfluxConfig config;
  private final InfluxDB client;
  private final InfluxTransport transport;
  private final ThreadFactory threadFactory;
  private final PushSender.Sleeper sleeper;
  private final InfluxConfig.Mode mode;
  private final WarnThenDebugLogger failureLog = new WarnThenDebugLogger(InfluxListener.class);

  private InfluxPoints points;
  private volatile PushSender<InfluxPoints.Weighted> sender;
  private long resultsLost;
  private boolean stopped;

  private InfluxListener(Builder builder) {
    super(builder.config.step(), builder.config.maxEndpoints(), builder.clock);
    this.config = builder.config;
    this.client = builder.client;
    this.transport = builder.transport;
    this.threadFactory = builder.threadFactory;
    this.sleeper = builder.sleeper;
    this.mode = config.mode();
  }

  /** A builder; {@link Builder#config} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the sender thread and writes the start event. Does not contact InfluxDB itself. */
  @Override
  protected void start(RunInfo run) {
    InfluxTransport wire = transport != null ? transport
        : client != null ? ClientTransport.wrap(client, config.db(), config.retentionPolicy())
        : ClientTransport.create(config);
    points = new InfluxPoints(run);
    PushSender.Builder<InfluxPoints.Weighted> builder = PushSender.builder("InfluxDB", new InfluxWire(wire, config.createDatabase()))
        .weight(InfluxPoints.Weighted::results)
        .batchSize(config.batchSize())
        .bufferSize(config.bufferSize())
        .backoff(Backoff.unlimited(config.retryBackoff(), config.retryMaxBackoff()))
        .threadFactory(threadFactory);
    if (sleeper != null) {
      builder.sleeper(sleeper);
    }
    sender = builder.build();
    sender.start();
    String text = "scenario " + run.scenario() + (run.host().isEmpty() ? "" : " against " + run.host())
        + " from " + run.instance();
    sender.offer(List.of(points.event("start", "Stampede run " + run.runId() + " started", text,
        run.startedAt().toEpochMilli())));
  }

  /** Raw mode writes a point per result, so it takes every result; aggregate mode, the engine's intervals. */
  @Override
  public Feed feed() {
    return mode == InfluxConfig.Mode.RAW ? Feed.RESULTS : Feed.INTERVALS;
  }

  @Override
  public void onResults(List<RequestResult> batch) {
    if (mode == InfluxConfig.Mode.AGGREGATE) {
      super.onResults(batch);
      return;
    }
    try {
      List<InfluxPoints.Weighted> raw = new ArrayList<>(batch.size());
      for (RequestResult result : batch) {
        raw.add(points.raw(result));
      }
      sender.offer(raw);
    } catch (RuntimeException e) {
      resultsLost += batch.size();
      failureLog.log("InfluxDB listener failed on a batch of " + batch.size() + " results", e);
    }
  }

  @Override
  protected void publish(IntervalStats step) {
    sender.offer(points.interval(step));
  }

  @Override
  protected void onSnapshot(Snapshot snapshot) {
    sender.offer(List.of(points.users(snapshot)));
  }

  /** Writes the stop event, then waits up to the flush timeout for delivery. */
  @Override
  protected void stop(Summary summary) {
    if (sender == null || stopped) {
      return;
    }
    stopped = true;
    try {
      String text = summary.total().count() + " requests, " + summary.total().failures() + " failures in "
          + Durations.format(summary.duration());
      sender.offer(List.of(points.event("stop", "Stampede run " + summary.run().runId() + " stopped", text,
          clock().millis())));
    } catch (RuntimeException e) {
      failureLog.log("InfluxDB listener failed to write the stop event", e);
    } finally {
      sender.stop(config.flushTimeout());
    }
  }

  /**
   * {@code failed}: results whose points were dropped or not confirmed (buffer full, rejected, or not
   * delivered within the flush timeout). Details: {@code mode}, {@code points_written},
   * {@code points_dropped}, {@code write_requests}, {@code retries}, {@code peak_buffered_points} and,
   * in aggregate mode, {@code results_in_other} (results folded into {@code name=other} by
   * {@code influx.max-endpoints}).
   */
  @Override
  public ExportReport report() {
    if (sender == null) {
      return ExportReport.NONE;
    }
    PushSender.Counters counters = sender.counters();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
    details.put("points_written", counters.delivered());
    details.put("points_dropped", counters.dropped() + counters.failed());
    details.put("write_requests", counters.requests());
    details.put("retries", counters.retries());
    details.put("peak_buffered_points", (long) counters.peakBuffered());
    if (mode == InfluxConfig.Mode.AGGREGATE) {
      details.put("results_in_other", overflowedEndpoints());
    }
    return new ExportReport(counters.resultsLost() + resultsLost + resultsLost(), details);
  }

  /** Stops the sender at once when the run ended without {@link #onStop}. */
  @Override
  public void close() {
    if (sender != null && !stopped) {
      stopped = true;
      sender.stop(java.time.Duration.ofMillis(1));
    }
  }

  /** Where and how this listener writes; never the credentials. */
  @Override
  public String toString() {
    return "InfluxListener[url=" + Secrets.maskUrl(config.url()) + ", db=" + config.db() + ", mode="
        + mode.name().toLowerCase(java.util.Locale.ROOT) + ", step=" + Durations.format(config.step()) + "]";
  }

  /** Builds an {@link InfluxListener}. */
  public static final class Builder {
    private InfluxConfig config;
    private Clock clock = Clock.systemUTC();
    private InfluxDB client;
    private InfluxTransport transport;
    private ThreadFactory threadFactory = Thread.ofPlatform().daemon().name("stampede-influx-sender").factory();
    private PushSender.Sleeper sleeper;

    private Builder() {}

    /** The configuration; required, and validated by {@link #build()}. */
    public Builder config(InfluxConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock that ends intervals and stamps events. The default is the system clock (UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A client to write with instead of one built from the configuration (its URL, credentials,
     * timeout and gzip settings are then the client's); the listener closes it at stop.
     */
    public Builder client(InfluxDB client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Makes the sender thread. The default makes a daemon platform thread {@code stampede-influx-sender}. */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    Builder transport(InfluxTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    Builder sleeper(PushSender.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The listener.
     *
     * @throws dev.stampede.config.ConfigException listing every problem with the configuration
     * @throws IllegalStateException when no configuration was given
     */
    public InfluxListener build() {
      if (config == null) {
        throw new IllegalStateException("config must be set before build()");
      }
      config.validate();
      return new InfluxListener(this);
    }
  }
}
