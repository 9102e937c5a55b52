package dev.stampede.listener.cloudwatch;

import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.kpi.Metric;
import dev.stampede.stats.IntervalStats;
import dev.stampede.support.Sha256;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Plans one CloudWatch alarm per KPI of a {@link KpiFile}, on exactly the metrics and dimensions
 * the listener publishes, so the team's on-call tooling sees the same gate as the run.
 *
 * <p>What each metric becomes (one evaluation period of {@link #periodSeconds} seconds, breaching
 * when the bound is broken, missing data not breaching):
 * <ul>
 *   <li>{@code pNN} — {@code ResponseTime} with extended statistic {@code pNN} ({@code p99.9})
 *       greater than the bound; {@code mean} — statistic {@code Average}; {@code max} —
 *       {@code Maximum};</li>
 *   <li>{@code failures} — {@code FailureCount} {@code Sum} greater than the bound (per period,
 *       where the KPI counts the run);</li>
 *   <li>{@code error_rate} — metric math {@code 100*FailureCount/RequestCount} greater than the
 *       bound; {@code rps} — metric math {@code RequestCount/period} less than the bound;</li>
 *   <li>{@code count} is a run-level total with no meaning per period: no alarm, a logged note.</li>
 * </ul>
 *
 * <p>Targets: {@code total} is the row with the constant dimensions only; {@code "GET /x"} (an
 * upper-case method, a space, a name) is {@code Name=/x, Method=GET}. A bare name ({@code search})
 * is resolved like the KPI gate does, against the endpoints the run reaches: the first interval in
 * which the name appears with exactly one method decides the {@code Method} dimension. A bare name
 * no request reached by the end of the run still gets an alarm, on {@code Name} alone, so a typo is
 * visible in CloudWatch (that alarm never leaves OK). KPIs skipped by {@code skip_until} get none.
 *
 * <p>Not thread-safe: used on the listener thread only. It builds requests and sends nothing.
 */
final class KpiAlarms {

  /**
   * Alarm names: 1 to 255 UTF-8 characters, no ASCII control characters; descriptions: up to 1024.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
   */
  static final int MAX_ALARM_NAME_LENGTH = 255;

  /** The longest alarm description (see {@link #MAX_ALARM_NAME_LENGTH}). */
  static final int MAX_DESCRIPTION_LENGTH = 1024;

  /**
   * Alarm periods under a minute (high-resolution alarms, on metrics stored with
   * StorageResolution 1); longer periods must be multiples of 60 seconds.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
   */
  static final int[] HIGH_RESOLUTION_PERIODS = {10, 20, 30};

  /** The unit of standard-resolution alarm periods, in seconds. */
  static final int STANDARD_PERIOD = 60;

  /** What the listener calls its metrics. */
  static final String RESPONSE_TIME = "ResponseTime";
  static final String REQUEST_COUNT = "RequestCount";
  static final String FAILURE_COUNT = "FailureCount";

  private static final Pattern METHOD_AND_NAME = Pattern.compile("([A-Z]+) (.+)", Pattern.DOTALL);
  private static final int HASH_HEX_DIGITS = 12;

  /** One KPI that gets no alarm, and why (for the log). */
  record NotCreated(Kpi kpi, String reason) {}

  private final String namespace;
  private final String source;
  private final int periodSeconds;
  private final List<Dimension> baseDimensions;
  private final BiFunction<String, String, Dimension> dimension;
  private final List<PutMetricAlarmRequest> atStart = new ArrayList<>();
  private final List<NotCreated> notCreated = new ArrayList<>();
  private final Map<String, List<Kpi>> byBareName = new LinkedHashMap<>();

  /**
   * Plans the alarms of {@code file}.
   *
   * @param namespace the listener's namespace
   * @param file the run's KPIs
   * @param periodSeconds the alarm period, from {@link #periodSeconds(Duration, int)}
   * @param baseDimensions the dimensions of the total row (constant dimensions, RunId if enabled);
   *     endpoint rows add Name and Method
   * @param dimension makes a dimension the way the listener does (sanitised value)
   * @param today the date {@code skip_until} is compared with
   */
  KpiAlarms(String namespace, KpiFile file, int periodSeconds, List<Dimension> baseDimensions,
      BiFunction<String, String, Dimension> dimension, LocalDate today) {
    this.namespace = namespace;
    this.source = file.source();
    this.periodSeconds = periodSeconds;
    this.baseDimensions = List.copyOf(baseDimensions);
    this.dimension = dimension;
    for (Kpi kpi : file.kpis()) {
      if (kpi.skipUntil() != null && today.isBefore(kpi.skipUntil())) {
        notCreated.add(new NotCreated(kpi, "skipped until " + kpi.skipUntil()
            + (kpi.skipReason().isEmpty() ? "" : " (" + kpi.skipReason() + ")")));
      } else if (kpi.metric().equals(Metric.COUNT)) {
        notCreated.add(new NotCreated(kpi, "count is a total over the whole run, which no alarm"
            + " period can check; the KPI gate checks it at the end"));
      } else if (kpi.target().equals(Kpi.TOTAL)) {
        atStart.add(request(kpi, this.baseDimensions, ""));
      } else {
        Matcher m = METHOD_AND_NAME.matcher(kpi.target());
        if (m.matches()) {
          atStart.add(request(kpi, endpointDimensions(m.group(2), m.group(1)), ""));
        } else {
          byBareName.computeIfAbsent(kpi.target(), k -> new ArrayList<>()).add(kpi);
        }
      }
    }
  }

  /**
   * The alarm period for a listener sending every {@code step}: the step itself when CloudWatch
   * accepts it, else the next period it accepts (10, 20, 30 s for high-resolution metrics, then
   * multiples of 60 s), so that every period holds at least one datum.
   */
  static int periodSeconds(Duration step, int storageResolution) {
    long seconds = Math.max(1, (step.toMillis() + 999) / 1000);
    if (storageResolution == 1) {
      for (int period : HIGH_RESOLUTION_PERIODS) {
        if (seconds <= period) {
          return period;
        }
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, (seconds + STANDARD_PERIOD - 1) / STANDARD_PERIOD * STANDARD_PERIOD);
  }

  /**
   * {@code {namespace} {kpi name}}, sanitised: ASCII control characters become {@code \}{@code uXXXX}
   * (and a backslash {@code \\}, so distinct names stay distinct); a name over 255 characters keeps
   * its start and ends with {@code ~} and 12 hex digits of its SHA-256.
   */
  static String alarmName(String namespace, Kpi kpi) {
    String raw = namespace + " " + kpi.name();
    StringBuilder escaped = new StringBuilder(raw.length() + 8);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        escaped.append("\\\\");
      } else if (c < 0x20 || c == 0x7f) {
        escaped.append(String.format("\\u%04X", (int) c));
      } else {
        escaped.append(c);
      }
    }
    String name = escaped.toString();
    if (name.length() > MAX_ALARM_NAME_LENGTH) {
      String suffix = "~" + Sha256.hex(raw).substring(0, HASH_HEX_DIGITS);
      int end = MAX_ALARM_NAME_LENGTH - suffix.length();
      if (Character.isHighSurrogate(name.charAt(end - 1))) {
        end--;
      }
      name = name.substring(0, end) + suffix;
    }
    return name;
  }

  /** The alarms whose dimensions are known before any request: {@code total} and {@code "GET /x"}. */
  List<PutMetricAlarmRequest> atStart() {
    return List.copyOf(atStart);
  }

  /** KPIs that get no alarm, with the reason. */
  List<NotCreated> notCreated() {
    return List.copyOf(notCreated);
  }

  /** Whether some bare names still wait for their endpoint. */
  boolean hasUnresolved() {
    return !byBareName.isEmpty();
  }

  /**
   * The alarms of bare names that {@code endpoints} (one interval's) resolve: a name seen with one
   * method only. A name seen with several methods is ambiguous, as in the KPI gate: its KPIs get no
   * alarm and are listed in {@link #notCreated()}.
   */
  List<PutMetricAlarmRequest> resolve(Collection<IntervalStats.Endpoint> endpoints) {
    if (byBareName.isEmpty()) {
      return List.of();
    }
    Map<String, Set<String>> methods = new LinkedHashMap<>();
    for (IntervalStats.Endpoint endpoint : endpoints) {
      if (byBareName.containsKey(endpoint.name())) {
        methods.computeIfAbsent(endpoint.name(), k -> new TreeSet<>()).add(endpoint.method());
      }
    }
    List<PutMetricAlarmRequest> requests = new ArrayList<>();
    methods.forEach((name, seen) -> {
      List<Kpi> kpis = byBareName.remove(name);
      if (seen.size() == 1) {
        String method = seen.iterator().next();
        for (Kpi kpi : kpis) {
          requests.add(request(kpi, endpointDimensions(name, method), ""));
        }
      } else {
        for (Kpi kpi : kpis) {
          notCreated.add(new NotCreated(kpi, "'" + name + "' is ambiguous: methods " + seen
              + " use it; write the method too"));
        }
      }
    });
    return requests;
  }

  /**
   * The alarms of bare names no request reached, on dimension {@code Name} alone (plus the
   * constant ones), so that a misspelt KPI is visible in CloudWatch. Called once, at stop.
   */
  List<PutMetricAlarmRequest> unresolved() {
    List<PutMetricAlarmRequest> requests = new ArrayList<>();
    byBareName.forEach((name, kpis) -> {
      List<Dimension> dimensions = new ArrayList<>();
      dimensions.add(dimension.apply("Name", name));
      dimensions.addAll(baseDimensions);
      for (Kpi kpi : kpis) {
        requests.add(request(kpi, dimensions, " No request of the run reached '" + name
            + "', so this alarm watches Name=" + name + " without a Method: check the name."));
      }
    });
    byBareName.clear();
    return requests;
  }

  private List<Dimension> endpointDimensions(String name, String method) {
    List<Dimension> dimensions = new ArrayList<>(baseDimensions.size() + 2);
    dimensions.add(dimension.apply("Name", name));
    dimensions.add(dimension.apply("Method", method));
    dimensions.addAll(baseDimensions);
    return dimensions;
  }

  private PutMetricAlarmRequest request(Kpi kpi, List<Dimension> dimensions, String note) {
    Metric metric = kpi.metric();
    boolean upper = metric.direction() == Metric.Direction.AT_MOST;
    PutMetricAlarmRequest.Builder b = PutMetricAlarmRequest.builder()
        .alarmName(alarmName(namespace, kpi))
        .alarmDescription(description(kpi, upper, note))
        .comparisonOperator(upper ? ComparisonOperator.GREATER_THAN_THRESHOLD : ComparisonOperator.LESS_THAN_THRESHOLD)
        .threshold(kpi.bound())
        .evaluationPeriods(1)
        .treatMissingData("notBreaching");
    if (metric.equals(Metric.MEAN)) {
      return single(b, RESPONSE_TIME, dimensions).statistic(Statistic.AVERAGE).build();
    }
    if (metric.equals(Metric.MAX)) {
      return single(b, RESPONSE_TIME, dimensions).statistic(Statistic.MAXIMUM).build();
    }
    if (metric.equals(Metric.FAILURES)) {
      return single(b, FAILURE_COUNT, dimensions).statistic(Statistic.SUM).build();
    }
    if (metric.equals(Metric.ERROR_RATE)) {
      return b.metrics(
          sum("failures", FAILURE_COUNT, dimensions),
          sum("requests", REQUEST_COUNT, dimensions),
          expression("100*failures/requests", "error rate (%)")).build();
    }
    if (metric.equals(Metric.RPS)) {
      return b.metrics(
          sum("requests", REQUEST_COUNT, dimensions),
          expression("requests/" + periodSeconds, "requests per second")).build();
    }
    // Every other metric is a percentile, named as CloudWatch names them: p90, p99.9, p100.
    return single(b, RESPONSE_TIME, dimensions).extendedStatistic(metric.name()).build();
  }

  private PutMetricAlarmRequest.Builder single(PutMetricAlarmRequest.Builder b, String metricName,
      List<Dimension> dimensions) {
    return b.namespace(namespace).metricName(metricName).dimensions(dimensions).period(periodSeconds);
  }

  private MetricDataQuery sum(String id, String metricName, List<Dimension> dimensions) {
    return MetricDataQuery.builder().id(id).returnData(false)
        .metricStat(s -> s.stat("Sum").period(periodSeconds)
            .metric(m -> m.namespace(namespace).metricName(metricName).dimensions(dimensions)))
        .build();
  }

  private static MetricDataQuery expression(String expression, String label) {
    return MetricDataQuery.builder().id("kpi").expression(expression).label(label).returnData(true).build();
  }

  private String description(Kpi kpi, boolean upper, String note) {
    String text = "Stampede KPI " + kpi.name() + " " + kpi.describeBound() + " from " + source
        + ": ALARM when a " + periodSeconds + " s period is " + (upper ? "above " : "below ")
        + kpi.metric().format(kpi.bound()) + "." + note;
    return text.length() <= MAX_DESCRIPTION_LENGTH ? text : text.substring(0, MAX_DESCRIPTION_LENGTH - 3) + "...";
  }
}
