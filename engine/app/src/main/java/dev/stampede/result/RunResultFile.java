package dev.stampede.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.stampede.EndpointStats;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.engine.RunOutcome;
import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.Measured;
import dev.stampede.stats.EndpointHistogram;
import dev.stampede.stats.HistoryPoint;
import dev.stampede.stats.RunHistograms;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The machine-readable result of one run: the one schema of {@code stampede run --json FILE}, of
 * the web page's result download and of {@code compare --update-baseline}, written and read by
 * {@link ResultJson} and read back by the KPI gate, {@code compare} and {@code trend}.
 *
 * <p>Names are snake_case; times are in milliseconds, rates per second, statistics rounded to
 * three decimals; a statistic without requests is {@code null}. Files written before a field
 * existed still load: {@code statistics_from} defaults to {@code started_at}, text to empty,
 * counts to 0, collections to empty; {@code error_rate} and {@code finished_at} are derived.
 *
 * <p>Format version 2 made results mergeable ({@code stampede merge} adds the shards of a
 * distributed run exactly): the {@code shard} a result is, and per endpoint and in total the whole
 * run's HdrHistogram with its raw counters ({@link EndpointResult#histogram()}). Files of version 1
 * (no {@code format_version}, no histograms) still load for the gate, {@code compare} and
 * {@code trend}, but cannot be merged. A merged result adds the {@code shards} it was made of and
 * the {@code missing_shards}. Fields without a value (no histograms, not a shard, not merged) are
 * left out of the file.
 *
 * @param formatVersion the version of this schema the file was written in: 1 before histograms,
 *     {@value #FORMAT_VERSION} since
 * @param runId the run's id
 * @param startedAt when the load started
 * @param statisticsFrom when the statistics began (the start, the end of the warm-up or the last
 *     reset)
 * @param durationSeconds how long the counted part of the run lasted, in seconds
 * @param users the most users that ran at once
 * @param host the target host, empty when unknown
 * @param scenario the scenario's name, empty when unknown
 * @param instance the machine or pod that ran it, empty when unknown
 * @param tags the run's tags
 * @param endpoints per-endpoint statistics keyed {@code "GET /x"}, in key order
 * @param total the statistics of all endpoints together
 * @param droppedIterations open model: iterations that could not start
 * @param cancelledAtStop requests in flight when the stop cut users off (neither success nor failure)
 * @param failures failures grouped by method, name and error
 * @param taskErrors per task, how many times it threw something other than a request failure
 * @param listeners per listener, what it delivered, dropped and failed
 * @param history the run's per-second series (each shard's in a distributed run, the summed one in
 *     a merge), or {@code null} when not recorded (format version 1, or a result built from
 *     statistics alone)
 * @param shard which shard of a distributed run this is and how its start went, or {@code null}
 *     when not known (written by an older version, or not by a run)
 * @param shards a merged result's shards, or {@code null} for any other result
 * @param missingShards the indexes of the shards a merged result lacks, or {@code null} for any other result
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format_version", "run_id", "started_at", "statistics_from", "finished_at", "duration_s", "users",
    "host", "scenario", "instance", "tags", "endpoints", "total", "dropped_iterations",
    "cancelled_at_stop", "failures", "task_errors", "listeners", "history", "shard", "shards", "missing_shards"})
@JsonIgnoreProperties(value = "finished_at", allowGetters = true)
public record RunResultFile(
    int formatVersion,
    String runId,
    Instant startedAt,
    Instant statisticsFrom,
    @JsonProperty("duration_s") double durationSeconds,
    int users,
    String host,
    String scenario,
    String instance,
    Map<String, String> tags,
    Map<String, EndpointResult> endpoints,
    EndpointResult total,
    long droppedIterations,
    long cancelledAtStop,
    List<Failure> failures,
    Map<String, Long> taskErrors,
    Map<String, ListenerCounts> listeners,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryRow> history,
    @JsonInclude(JsonInclude.Include.NON_NULL) ShardPart shard,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<MergedShard> shards,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> missingShards) {

  /** The key of the row that aggregates every endpoint, in KPI files and tables. */
  public static final String TOTAL = Kpi.TOTAL;

  /** The version of the result format this build writes. */
  public static final int FORMAT_VERSION = 2;

  public RunResultFile {
    formatVersion = formatVersion <= 0 ? 1 : formatVersion;
    runId = orEmpty(runId);
    startedAt = startedAt == null ? Instant.EPOCH : startedAt;
    statisticsFrom = statisticsFrom == null ? startedAt : statisticsFrom;
    host = orEmpty(host);
    scenario = orEmpty(scenario);
    instance = orEmpty(instance);
    tags = sorted(tags);
    endpoints = sorted(endpoints);
    failures = failures == null ? List.of() : List.copyOf(failures);
    taskErrors = sorted(taskErrors);
    listeners = sorted(listeners);
    history = history == null ? null : List.copyOf(history);
    shards = shards == null ? null : List.copyOf(shards);
    missingShards = missingShards == null ? null : List.copyOf(missingShards);
  }

  /**
   * A result with the statistics only (no host, tags, failures or listeners): what the gate,
   * {@code compare} and tests build in memory.
   */
  public static RunResultFile of(String runId, Instant startedAt, double durationSeconds, int users,
      Map<String, EndpointResult> endpoints, EndpointResult total, long droppedIterations) {
    return new RunResultFile(FORMAT_VERSION, runId, startedAt, startedAt, durationSeconds, users, "", "", "",
        Map.of(), endpoints, total, droppedIterations, 0, List.of(), Map.of(), Map.of(), null, null, null, null);
  }

  /** When the last user stopped: {@code statistics_from} plus the duration, to the millisecond. */
  @JsonProperty("finished_at")
  public Instant finishedAt() {
    return statisticsFrom.plusNanos(Math.round(durationSeconds * 1e9)).truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The whole run's mergeable statistics, or {@link RunHistograms#NONE} when the file has none
   * (format version 1, or a result built from statistics alone).
   *
   * @throws IllegalArgumentException when the total has a histogram but an endpoint has none, or a
   *     histogram cannot be decoded
   */
  public RunHistograms histograms() {
    if (total.histogram() == null) {
      return RunHistograms.NONE;
    }
    List<EndpointHistogram> raw = new ArrayList<>();
    endpoints.forEach((key, endpoint) -> {
      if (endpoint.histogram() == null) {
        throw new IllegalArgumentException("endpoint " + key + " has no histogram but the total has one");
      }
      raw.add(endpoint.raw());
    });
    return new RunHistograms(raw, total.raw());
  }

  /**
   * One point of the per-second series ({@link HistoryPoint}): times in milliseconds, rates per
   * second. Percentiles are {@code NaN} ({@code null} in the file) where unknown: in an interval
   * without requests, and in a merge, whose shards' per-second percentiles cannot be added exactly.
   *
   * @param epochMs when the point was taken (the end of its interval), epoch milliseconds
   * @param seconds how many seconds of the run it covers (1, or more once history was thinned)
   * @param users users running at the end of the interval
   * @param rps requests per second over the interval
   * @param failuresPerSecond failures per second over the interval
   * @param p50 the median response time over the interval
   * @param p95 the 95th percentile over the interval
   * @param p99 the 99th percentile over the interval
   * @param totalCount requests so far
   * @param totalFailures failures so far
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"epoch_ms", "seconds", "users", "rps", "failures_per_second", "p50", "p95", "p99",
      "total_count", "total_failures"})
  public record HistoryRow(long epochMs, double seconds, int users, double rps, double failuresPerSecond,
      double p50, double p95, double p99, long totalCount, long totalFailures) {

    /** The point as the engine recorded it, rounded as files hold numbers. */
    public static HistoryRow of(HistoryPoint point) {
      boolean none = point.rps() == 0;
      return new HistoryRow(point.epochMillis(), round(point.seconds()), point.users(), round(point.rps()),
          round(point.failuresPerSecond()), none ? Double.NaN : round(point.percentiles().at(50)),
          none ? Double.NaN : round(point.percentiles().at(95)), none ? Double.NaN : round(point.percentiles().at(99)),
          point.totalCount(), point.totalFailures());
    }

    /** The point for charts and the history CSV; percentiles other than p50, p95 and p99 are {@code NaN}. */
    public HistoryPoint toPoint() {
      double[] p = new double[Percentiles.REPORTED.length];
      for (int i = 0; i < p.length; i++) {
        double at = Percentiles.REPORTED[i];
        p[i] = at == 50 ? p50 : at == 95 ? p95 : at == 99 ? p99 : Double.NaN;
      }
      return new HistoryPoint(epochMs, seconds, users, rps, failuresPerSecond, new Percentiles(p), totalCount,
          totalFailures);
    }
  }

  /** This result as the merge of {@code shards}, lacking {@code missingShards}. */
  public RunResultFile merged(List<MergedShard> shards, List<Integer> missingShards) {
    return new RunResultFile(formatVersion, runId, startedAt, statisticsFrom, durationSeconds, users, host,
        scenario, instance, tags, endpoints, total, droppedIterations, cancelledAtStop, failures, taskErrors,
        listeners, history, shard, shards, missingShards);
  }

  /**
   * Which shard a result is and how its start went.
   *
   * @param index the shard's index, 0 to {@code count - 1}
   * @param count how many shards the run had, 1 when it was not distributed
   * @param startAt the scheduled start instant ({@code --start-at}), or {@code null}
   * @param startSkewMs how much later than {@code startAt} the load began, in milliseconds
   *     (negative: earlier), or {@code null} without a scheduled start
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"index", "count", "start_at", "start_skew_ms"})
  public record ShardPart(int index, int count, Instant startAt, Double startSkewMs) {

    /** A run that is not distributed and not scheduled. */
    public static final ShardPart WHOLE = new ShardPart(0, 1, null, null);

    public ShardPart {
      count = count <= 0 ? 1 : count;
    }
  }

  /**
   * One shard of a merged result.
   *
   * @param index the shard's index
   * @param instance the load generator that ran it
   * @param requests its requests, failures included
   * @param failures its failed requests
   * @param startSkewMs how late its load began against the scheduled start, in milliseconds, or {@code null}
   * @param source where its result was read from
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"index", "instance", "requests", "failures", "start_skew_ms", "source"})
  public record MergedShard(int index, String instance, long requests, long failures, Double startSkewMs,
      String source) {}

  /**
   * Statistics of one endpoint, or of all together. Times in milliseconds; a statistic without
   * requests is {@code NaN} ({@code null} in the file).
   *
   * @param method the request method, empty for the total
   * @param name the grouped endpoint name
   * @param count requests, failures included
   * @param failures failed requests
   * @param rps requests per second over the run
   * @param mean mean response time
   * @param min fastest response time
   * @param max slowest response time
   * @param p50 the 50th percentile of response times, and so on up to {@code p100}
   * @param p66 see {@code p50}
   * @param p75 see {@code p50}
   * @param p80 see {@code p50}
   * @param p90 see {@code p50}
   * @param p95 see {@code p50}
   * @param p98 see {@code p50}
   * @param p99 see {@code p50}
   * @param p999 the 99.9th percentile
   * @param p9999 the 99.99th percentile
   * @param p100 the slowest response time as the histogram holds it
   * @param bytesMean mean response size in bytes
   * @param histogram the whole run's response times in microseconds (3 significant digits), in
   *     HdrHistogram's compressed encoding in base64, or {@code null} (format version 1, or a
   *     result built from statistics alone)
   * @param bytesTotal the response bytes received, with {@code histogram}, else {@code null}
   * @param responseTimeSumNs the sum of every response time in nanoseconds, with {@code histogram}, else {@code null}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"method", "name", "count", "failures", "error_rate", "rps", "mean", "min",
      "max", "p50", "p66", "p75", "p80", "p90", "p95", "p98", "p99", "p999", "p9999", "p100",
      "bytes_mean", "histogram", "bytes_total", "response_time_sum_ns"})
  @JsonIgnoreProperties(value = "error_rate", allowGetters = true)
  public record EndpointResult(
      String method, String name, long count, long failures, double rps, double mean, double min,
      double max, double p50, double p66, double p75, double p80, double p90, double p95,
      double p98, double p99, double p999, double p9999, double p100, double bytesMean,
      @JsonInclude(JsonInclude.Include.NON_NULL) String histogram,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long bytesTotal,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long responseTimeSumNs)
      implements Measured {

    public EndpointResult {
      method = orEmpty(method);
      name = orEmpty(name);
    }

    /** The same statistics with the percentiles as one value ({@link Percentiles#REPORTED}). */
    public static EndpointResult of(String method, String name, long count, long failures,
        double rps, double mean, double min, double max, Percentiles percentiles, double bytesMean) {
      double[] p = percentiles.values();
      return new EndpointResult(method, name, count, failures, rps, mean, min, max,
          p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], bytesMean, null, null, null);
    }

    /** These statistics with {@code raw}'s histogram and raw counters, which make them mergeable. */
    public EndpointResult withHistogram(EndpointHistogram raw) {
      return new EndpointResult(method, name, count, failures, rps, mean, min, max, p50, p66, p75, p80,
          p90, p95, p98, p99, p999, p9999, p100, bytesMean, encode(raw.micros()), raw.bytes(),
          raw.responseTimeSumNanos());
    }

    /**
     * The mergeable statistics: the decoded histogram with the counters, or {@code null} without a
     * histogram.
     *
     * @throws IllegalArgumentException when the histogram is not one {@link #withHistogram} wrote
     */
    @JsonIgnore
    public EndpointHistogram raw() {
      if (histogram == null) {
        return null;
      }
      return new EndpointHistogram(method, name, decode(histogram), count, failures,
          bytesTotal == null ? 0 : bytesTotal, responseTimeSumNs == null ? 0 : responseTimeSumNs);
    }

    /** The same statistics from the engine's own record, rounded as files hold them. */
    public static EndpointResult of(EndpointStats stats) {
      double[] p = stats.percentiles().values();
      for (int i = 0; i < p.length; i++) {
        p[i] = round(p[i]);
      }
      return of(stats.method(), stats.name(), stats.count(), stats.failures(), round(stats.rps()),
          round(stats.mean()), round(stats.min()), round(stats.max()), new Percentiles(p),
          round(stats.bytesMean()));
    }

    /** {@code "GET /x"}, or the bare name when there is no method. */
    public String key() {
      return method.isEmpty() ? name : method + " " + name;
    }

    /** Failures as a percentage of requests (0 to 100), 0 when there were no requests. */
    @Override
    @JsonProperty("error_rate")
    public double errorRate() {
      return count == 0 ? 0 : round(100.0 * failures / count);
    }

    /** The response times at {@link Percentiles#REPORTED}. */
    @JsonIgnore
    public Percentiles percentiles() {
      return new Percentiles(new double[] {p50, p66, p75, p80, p90, p95, p98, p99, p999, p9999, p100});
    }

    /** The response time (ms) at a percentile of {@link Percentiles#REPORTED}. */
    @Override
    public double percentile(double percentile) {
      return percentiles().at(percentile);
    }
  }

  /**
   * Failures of one endpoint with one error.
   *
   * @param method the request method
   * @param name the grouped endpoint name
   * @param error the error, as the failure said it
   * @param occurrences how many times
   * @param firstSeen when it first happened
   * @param lastSeen when it last happened
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Failure(String method, String name, String error, long occurrences,
      Instant firstSeen, Instant lastSeen) {

    static Failure of(FailureStats f) {
      return new Failure(f.method(), f.name(), f.error(), f.occurrences(),
          Instant.ofEpochMilli(f.firstSeenEpochMillis()), Instant.ofEpochMilli(f.lastSeenEpochMillis()));
    }
  }

  /**
   * What one listener did with the results it was given.
   *
   * @param delivered results the backend accepted
   * @param dropped results dropped before delivery (queue overflow)
   * @param failed results the backend did not accept
   * @param details what the listener reports besides (its own counters and settings, no secret)
   */
  public record ListenerCounts(long delivered, long dropped, long failed, Map<String, Object> details) {

    public ListenerCounts {
      details = sorted(details);
    }

    /** Counts without details. */
    public ListenerCounts(long delivered, long dropped, long failed) {
      this(delivered, dropped, failed, Map.of());
    }
  }

  /** The result of a finished run, from the engine's summary, what its listeners did and its task errors. */
  public static RunResultFile fromSummary(Summary summary, List<ListenerDelivery> deliveries,
      Map<String, Long> taskErrors) {
    return build(summary, deliveries, taskErrors, RunHistograms.NONE, null, null);
  }

  /**
   * The whole result of a finished run, mergeable: its statistics as {@link #fromSummary}, every
   * endpoint's and the total's histogram with raw counters (when the run recorded any), its
   * per-second history, and the {@code shard} it is. What {@code --json} and a results store hold.
   */
  public static RunResultFile fromOutcome(RunOutcome outcome, ShardPart shard) {
    return build(outcome.summary(), outcome.deliveries(), outcome.taskErrors(), outcome.histograms(),
        outcome.history(), java.util.Objects.requireNonNull(shard, "shard"));
  }

  private static RunResultFile build(Summary summary, List<ListenerDelivery> deliveries,
      Map<String, Long> taskErrors, RunHistograms histograms, List<HistoryPoint> history, ShardPart shard) {
    RunInfo run = summary.run();
    Map<String, ListenerCounts> listeners = new LinkedHashMap<>();
    for (ListenerDelivery d : deliveries) {
      listeners.put(d.name(), new ListenerCounts(d.delivered(), d.dropped(), d.failed(),
          d.report().details()));
    }
    Map<String, EndpointResult> endpoints = byKey(summary.endpoints());
    EndpointResult total = EndpointResult.of(summary.total());
    if (histograms.present()) {
      for (EndpointHistogram raw : histograms.endpoints()) {
        endpoints.computeIfPresent(raw.key(), (key, endpoint) -> endpoint.withHistogram(raw));
      }
      total = total.withHistogram(histograms.total());
    }
    return new RunResultFile(FORMAT_VERSION, run.runId(), run.startedAt(), summary.statisticsFrom(),
        round(summary.duration().toNanos() / 1e9), summary.peakUsers(), run.host(), run.scenario(),
        run.instance(), run.tags(), endpoints, total, summary.droppedIterations(), summary.cancelledAtStop(),
        summary.failures().stream().map(Failure::of).toList(), taskErrors, listeners,
        history == null ? null : history.stream().map(HistoryRow::of).toList(), shard, null, null);
  }

  /** The statistics of a finished run, from the engine's summary alone. */
  public static RunResultFile fromSummary(Summary summary) {
    return fromSummary(summary, List.of(), Map.of());
  }

  /**
   * The statistics of a run still going, from one tick's snapshot: what the abort-on-fail check
   * evaluates while the load runs.
   */
  public static RunResultFile fromSnapshot(RunInfo run, Snapshot snapshot) {
    return of(run.runId(), run.startedAt(), snapshot.elapsedSeconds(), snapshot.users(),
        byKey(snapshot.endpoints()), EndpointResult.of(snapshot.total()), 0);
  }

  /**
   * The statistics of a run still going, from a tick's snapshot alone (run id empty, start time
   * derived from the snapshot): for tick handlers that do not hold the run's {@link RunInfo}.
   */
  public static RunResultFile fromSnapshot(Snapshot snapshot) {
    Instant startedAt = Instant.ofEpochMilli(
        snapshot.epochMillis() - Math.round(snapshot.elapsedSeconds() * 1000));
    return of("", startedAt, snapshot.elapsedSeconds(), snapshot.users(),
        byKey(snapshot.endpoints()), EndpointResult.of(snapshot.total()), 0);
  }

  private static Map<String, EndpointResult> byKey(List<EndpointStats> stats) {
    Map<String, EndpointResult> map = new LinkedHashMap<>();
    for (EndpointStats s : stats) {
      map.put(s.key(), EndpointResult.of(s));
    }
    return map;
  }

  /** HdrHistogram's compressed encoding, in base64. */
  static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    byte[] bytes = new byte[length];
    buffer.flip();
    buffer.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes {@link #encode}'s text.
   *
   * @throws IllegalArgumentException when it is not such a histogram
   */
  static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("not a compressed HdrHistogram in base64: " + e.getMessage(), e);
    }
  }

  /** Three decimals: microsecond precision for milliseconds, and no float noise in files. NaN stays NaN. */
  static double round(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : value;
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
