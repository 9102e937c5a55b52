package dev.stampede.listener.influx;

import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.stats.IntervalStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * Turns a run's statistics into InfluxDB points, in the schema of {@code README.md}: measurements
 * {@code requests}, {@code users}, {@code errors} and {@code events}, tagged with {@code run_id},
 * {@code instance} and the run's own tags.
 *
 * <p>Each point carries the number of results it stands for (its weight), so that what could not
 * be delivered is reported as results, not points; total rows, users, errors and events weigh 0
 * because their results are already counted by the endpoint rows.
 */
final class InfluxPoints {

  static final String REQUESTS = "requests";
  static final String USERS = "users";
  static final String ERRORS = "errors";
  static final String EVENTS = "events";

  /** Tags the listener sets itself; a run tag with one of these keys is not written. */
  static final Set<String> RESERVED_TAGS = Set.of("run_id", "instance", "method", "name", "error", "kind", "time");

  /** The percentiles written as {@code p50} ... {@code p99}. */
  private static final double[] PERCENTILES = {50, 90, 95, 99};

  /** A point and the number of results it stands for. */
  record Weighted(Point point, long results) {}

  private final Map<String, String> runTags;
  private final Map<String, Long> lastTimeNanos = new java.util.HashMap<>();
  private long rawSequence;

  InfluxPoints(RunInfo run) {
    Map<String, String> tags = new LinkedHashMap<>();
    run.tags().forEach((key, value) -> {
      if (!RESERVED_TAGS.contains(key)) {
        tags.put(InfluxNaming.tag(key), InfluxNaming.tag(value));
      }
    });
    tags.put("run_id", InfluxNaming.tag(run.runId()));
    tags.put("instance", InfluxNaming.tag(run.instance()));
    this.runTags = Map.copyOf(tags);
  }

  /**
   * The points of one interval: a {@code requests} point per endpoint and one with
   * {@code name=total}, and an {@code errors} point per endpoint and error message.
   */
  List<Weighted> interval(IntervalStats stats) {
    List<Weighted> points = new ArrayList<>(stats.endpoints().size() * 2 + 1);
    if (stats.total() == null) {
      return points;
    }
    long time = uniqueTime(REQUESTS, TimeUnit.MILLISECONDS.toNanos(stats.startMillis()));
    double seconds = stats.seconds();
    for (IntervalStats.Endpoint endpoint : stats.endpoints()) {
      add(points, requests(endpoint, time, seconds), endpoint.count());
      endpoint.errors().forEach((error, count) -> {
        Point.Builder builder = base(ERRORS, time)
            .tag("method", InfluxNaming.tag(endpoint.method()))
            .tag("name", InfluxNaming.tag(endpoint.name()))
            .tag("error", InfluxNaming.tag(error))
            .addField("count", count.longValue());
        exact(builder, "endpoint", endpoint.name());
        exact(builder, "message", error);
        add(points, builder, 0);
      });
    }
    add(points, requests(stats.total(), time, seconds).tag("name", IntervalStats.TOTAL_NAME), 0);
    return points;
  }

  /** One {@code requests} point for one result, for {@code influx.mode=raw}. */
  Weighted raw(RequestResult result) {
    // Several requests of one endpoint can start in the same microsecond; InfluxDB would keep only
    // the last point with the same series and time, so the nanosecond digits carry a sequence.
    long time = result.startEpochMicros() * 1_000 + (rawSequence++ % 1_000);
    Point.Builder builder = base(REQUESTS, time)
        .tag("method", InfluxNaming.tag(result.method()))
        .tag("name", InfluxNaming.tag(result.name()))
        .addField("count", 1L)
        .addField("failures", result.success() ? 0L : 1L)
        .addField("bytes", result.bytes())
        .addField("status", (long) result.status());
    finite(builder, "response_time", result.responseTimeMillis());
    exact(builder, "endpoint", result.name());
    if (!result.success() && !result.failure().isEmpty()) {
      builder.addField("error", result.failure());
    }
    return new Weighted(builder.build(), 1);
  }

  /** A {@code users} point from a tick. */
  Weighted users(Snapshot snapshot) {
    Point.Builder builder = base(USERS, uniqueTime(USERS, TimeUnit.MILLISECONDS.toNanos(snapshot.epochMillis())))
        .addField("count", (long) snapshot.users());
    return new Weighted(builder.build(), 0);
  }

  /** An {@code events} point: {@code kind} is {@code start} or {@code stop}. */
  Weighted event(String kind, String title, String text, long epochMillis) {
    Point.Builder builder = base(EVENTS, uniqueTime(EVENTS, TimeUnit.MILLISECONDS.toNanos(epochMillis)))
        .tag("kind", kind);
    if (!title.isEmpty()) {
      builder.addField("title", title);
    }
    if (!text.isEmpty()) {
      builder.addField("text", text);
    }
    return new Weighted(builder.build(), 0);
  }

  private Point.Builder requests(IntervalStats.Endpoint endpoint, long time, double seconds) {
    Point.Builder builder = base(REQUESTS, time)
        .tag("method", InfluxNaming.tag(endpoint.method()))
        .tag("name", InfluxNaming.tag(endpoint.name()))
        .addField("count", endpoint.count())
        .addField("failures", endpoint.failures())
        .addField("bytes", endpoint.bytes());
    finite(builder, "rps", endpoint.count() / seconds);
    finite(builder, "mean", endpoint.mean());
    finite(builder, "min", endpoint.min());
    finite(builder, "max", endpoint.max());
    for (double percentile : PERCENTILES) {
      finite(builder, "p" + (long) percentile, endpoint.percentile(percentile));
    }
    exact(builder, "endpoint", endpoint.name());
    return builder;
  }

  private Point.Builder base(String measurement, long timeNanos) {
    return Point.measurement(measurement).time(timeNanos, TimeUnit.NANOSECONDS).tag(runTags);
  }

  /**
   * Points of one series written with the same time overwrite each other in InfluxDB; interval
   * points get strictly increasing times per measurement, even when the clock has not moved
   * between two drains.
   */
  private long uniqueTime(String measurement, long nanos) {
    long time = Math.max(nanos, lastTimeNanos.getOrDefault(measurement, Long.MIN_VALUE + 1) + 1);
    lastTimeNanos.put(measurement, time);
    return time;
  }

  /** Adds {@code value} as a field only when it is a finite number: NaN and infinities are skipped. */
  static void finite(Point.Builder builder, String field, double value) {
    if (Double.isFinite(value)) {
      builder.addField(field, value);
    }
  }

  /** Adds the exact {@code value} as a string field when its tag had to be given a stand-in. */
  private static void exact(Point.Builder builder, String field, String value) {
    if (InfluxNaming.needsStandIn(value)) {
      builder.addField(field, value);
    }
  }

  private static void add(List<Weighted> points, Point.Builder builder, long results) {
    if (builder.hasFields()) {
      points.add(new Weighted(builder.build(), results));
    }
  }
}
