package dev.stampede.listener.prometheus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names Stampede exports to Prometheus, and how run tags, endpoint names and errors become
 * label names and values.
 *
 * <p>Meters are registered under Micrometer's dotted names; Micrometer's Prometheus naming
 * convention adds the unit and {@code _total} suffixes, so {@code stampede.requests} is exported
 * as {@link #REQUESTS} and the timer {@code stampede.request.duration} as {@link #DURATION}.
 *
 * <p>Label values need no escaping here: the exposition writers escape backslashes, double quotes
 * and line feeds, the only characters the text formats require escaped, and write UTF-8. What this
 * class does is make every value one Prometheus accepts and keeps apart: lone UTF-16 surrogates
 * (which have no UTF-8 form) become U+FFFD, and an empty value, which Prometheus treats as a
 * missing label, becomes {@link #EMPTY_VALUE}.
 */
final class PrometheusNames {

  /** {@code stampede_requests_total{run_id,method,name,outcome}}: counter of completed requests. */
  static final String REQUESTS = "stampede_requests_total";
  /** {@code stampede_request_duration_seconds{run_id,method,name}}: histogram of response times. */
  static final String DURATION = "stampede_request_duration_seconds";
  /** {@code stampede_response_size_bytes{run_id,method,name}}: summary of response body sizes. */
  static final String RESPONSE_SIZE = "stampede_response_size_bytes";
  /** {@code stampede_users{run_id}}: users running now. */
  static final String USERS = "stampede_users";
  /** {@code stampede_failures_total{run_id,method,name,error}}: counter of failures by error class. */
  static final String FAILURES = "stampede_failures_total";
  /** {@code stampede_export_dropped_total{run_id,reason}}: results this listener could not record. */
  static final String EXPORT_DROPPED = "stampede_export_dropped_total";
  /** {@code stampede_run_start_timestamp_seconds{run_id}}: when the load started (Unix seconds). */
  static final String RUN_START = "stampede_run_start_timestamp_seconds";
  /** {@code stampede_run_end_timestamp_seconds{run_id}}: when the run stopped (Unix seconds). */
  static final String RUN_END = "stampede_run_end_timestamp_seconds";

  // Micrometer names of the meters above.
  static final String METER_REQUESTS = "stampede.requests";
  static final String METER_DURATION = "stampede.request.duration";
  static final String METER_RESPONSE_SIZE = "stampede.response.size";
  static final String METER_USERS = "stampede.users";
  static final String METER_FAILURES = "stampede.failures";
  static final String METER_EXPORT_DROPPED = "stampede.export.dropped";
  static final String METER_RUN_START = "stampede.run.start.timestamp";
  static final String METER_RUN_END = "stampede.run.end.timestamp";

  static final String RUN_ID = "run_id";
  /** The load generator: the grouping key of pushes and a label of remote-written series (a scrape sets its own). */
  static final String INSTANCE = "instance";
  static final String METHOD = "method";
  static final String NAME = "name";
  static final String OUTCOME = "outcome";
  static final String ERROR = "error";
  static final String REASON = "reason";
  static final String SUCCESS = "success";
  static final String FAILURE = "failure";

  /** The value endpoint names and errors beyond the cardinality caps are counted under. */
  static final String OTHER = "other";
  /** What an empty label value is exported as, since Prometheus drops empty labels. */
  static final String EMPTY_VALUE = "(empty)";
  /** Error values are cut to this many characters, so a message with a payload stays readable. */
  static final int MAX_ERROR_LENGTH = 80;

  /**
   * Label names Stampede itself uses, or Prometheus reserves for histograms, summaries and targets;
   * a run tag with one of these names is exported as {@code tag_<name>}.
   */
  private static final Set<String> RESERVED_LABELS =
      Set.of(RUN_ID, METHOD, NAME, OUTCOME, ERROR, REASON, "le", "quantile", "job", "instance");

  // https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels
  private static final Pattern INVALID_LABEL_CHARS = Pattern.compile("[^a-zA-Z0-9_]");
  private static final Pattern EXCEPTION_CLASS =
      Pattern.compile("^(?:[a-zA-Z_$][\\w$]*\\.)*([A-Z][\\w$]*(?:Exception|Error|Timeout))\\b");

  private PrometheusNames() {}

  /**
   * The label name for a run tag key: characters outside {@code [a-zA-Z0-9_]} become
   * {@code _}, a leading digit gets a {@code _} prefix, and reserved names (Stampede's own labels,
   * {@code le}, {@code job}, {@code instance}, and anything starting with {@code __}) get a
   * {@code tag_} prefix.
   */
  static String tagLabel(String key) {
    String name = INVALID_LABEL_CHARS.matcher(key).replaceAll("_");
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    if (name.startsWith("__") || RESERVED_LABELS.contains(name)) {
      name = "tag_" + name;
    }
    return name;
  }

  /**
   * The run's tags as labels, keyed by {@link #tagLabel}; when two keys map to the same label the
   * first in key order wins, so the labels of a run are always the same.
   */
  static Map<String, String> tagLabels(Map<String, String> tags) {
    Map<String, String> labels = new LinkedHashMap<>();
    tags.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> labels.putIfAbsent(tagLabel(e.getKey()), labelValue(e.getValue())));
    return labels;
  }

  /** A label value Prometheus accepts and keeps apart from others; see the class comment. */
  static String labelValue(String value) {
    if (value == null || value.isEmpty()) {
      return EMPTY_VALUE;
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean lone = Character.isHighSurrogate(c)
          ? i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))
          : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
      if (lone && out == null) {
        out = new StringBuilder(value.length()).append(value, 0, i);
      }
      if (out != null) {
        out.append(lone ? '\uFFFD' : c);
      }
    }
    return out == null ? value : out.toString();
  }

  /**
   * The {@code error} label of a failure: {@code HTTP <status>} when a response arrived with an
   * error status, else the simple class name when the message starts with an exception class
   * ({@code java.net.ConnectException: ...} becomes {@code ConnectException}), else the message's
   * first line cut to {@value #MAX_ERROR_LENGTH} characters. The cap of distinct values is applied
   * by the caller.
   */
  static String errorClass(int status, String failure) {
    if (status >= 400) {
      return "HTTP " + status;
    }
    if (failure == null || failure.isBlank()) {
      return status > 0 ? "HTTP " + status : "unknown";
    }
    String line = failure.strip().lines().findFirst().orElse("").strip();
    Matcher matcher = EXCEPTION_CLASS.matcher(line);
    if (matcher.find()) {
      return matcher.group(1);
    }
    if (line.length() > MAX_ERROR_LENGTH) {
      int end = MAX_ERROR_LENGTH;
      if (Character.isHighSurrogate(line.charAt(end - 1))) {
        end--;
      }
      line = line.substring(0, end);
    }
    return labelValue(line);
  }
}
