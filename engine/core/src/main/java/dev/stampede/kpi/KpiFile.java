package dev.stampede.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigFiles;
import dev.stampede.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated KPI file ({@code --kpi FILE}), YAML or JSON (a name ending in {@code .json} is read
 * as strict JSON, anything else as YAML):
 *
 * <pre>{@code
 * abort_on_fail: { delay: 30s }      # optional: stop early once a KPI is lost; or true / false
 * kpis:
 *   "GET /store/inventory": { percentile_90: 50, rps: 500, error_rate: 0 }
 *   search: { p95: 250ms, skip_until: 2026-02-01, skip_reason: "index rebuild, JIRA-12" }
 *   total: { p99: 800 }
 * }</pre>
 *
 * <p>Keys are endpoints ({@code "METHOD name"}, or a bare name when only one method uses it) or
 * {@code total}. Metrics and their units are those of {@link Metric}; time bounds are numbers of
 * milliseconds or durations ({@code 250ms}, {@code 1.5s}). Every problem in the file is reported
 * at once, as one {@link ConfigException}, so that a bad file stops the run before any load.
 *
 * @param source where the KPIs came from, for messages
 * @param kpis the KPIs in file order
 * @param abortOnFail whether and when to stop a run early; {@link AbortOnFail#OFF} when not given
 */
public record KpiFile(String source, List<Kpi> kpis, AbortOnFail abortOnFail) {

  private static final Set<String> TOP_LEVEL_KEYS = Set.of("kpis", "abort_on_fail");
  private static final String SKIP_UNTIL = "skip_until";
  private static final String SKIP_REASON = "skip_reason";

  public KpiFile {
    kpis = List.copyOf(kpis);
  }

  private static final ObjectMapper JSON = ConfigFiles.strict(new JsonFactory());

  /**
   * Reads and validates a KPI file: strict JSON when its name ends in {@code .json}, else YAML.
   *
   * @param yaml the YAML parser factory ({@code new YAMLFactory()} of jackson-dataformat-yaml,
   *     which the core does not depend on)
   * @throws ConfigException naming the file and every problem in it, on one line
   */
  public static KpiFile load(Path file, JsonFactory yaml) {
    boolean json = ConfigFiles.isJson(file);
    JsonNode tree = ConfigFiles.readTree(file, "KPI file",
        json ? JSON : ConfigFiles.strict(yaml), json ? "JSON" : "YAML");
    return parse(tree, file.toString());
  }

  /**
   * Validates a KPI tree already read (for KPIs embedded in another configuration file).
   *
   * @param source where the tree came from, for messages
   * @throws ConfigException naming {@code source} and every problem, on one line
   */
  public static KpiFile parse(JsonNode root, String source) {
    List<String> problems = new ArrayList<>();
    List<Kpi> kpis = new ArrayList<>();
    AbortOnFail abort = AbortOnFail.OFF;
    if (!root.isObject()) {
      problems.add("the top level must be a mapping with a 'kpis' key but was " + ConfigFiles.describe(root));
    } else {
      root.fieldNames().forEachRemaining(key -> {
        if (!TOP_LEVEL_KEYS.contains(key)) {
          problems.add("unknown key '" + key + "' (accepted: kpis, abort_on_fail)");
        }
      });
      JsonNode list = root.get("kpis");
      if (list == null || !list.isObject() || list.isEmpty()) {
        problems.add("kpis must be a non-empty mapping of endpoint to bounds, such as"
            + " kpis: {\"GET /x\": {p95: 200}}, but was " + ConfigFiles.describe(list));
      } else {
        for (Map.Entry<String, JsonNode> entry : list.properties()) {
          readTarget(entry.getKey(), entry.getValue(), kpis, problems);
        }
      }
      if (root.has("abort_on_fail")) {
        abort = readAbort(root.get("abort_on_fail"), problems);
      }
    }
    if (!problems.isEmpty()) {
      throw ConfigFiles.problems("KPI file " + source + ": ", problems);
    }
    return new KpiFile(source, kpis, abort);
  }

  private static void readTarget(String target, JsonNode bounds, List<Kpi> kpis,
      List<String> problems) {
    String at = "kpis.\"" + target + "\"";
    if (target.isBlank()) {
      problems.add("kpis: an endpoint key is empty");
      return;
    }
    if (!bounds.isObject() || bounds.isEmpty()) {
      problems.add(at + " must be a mapping of metric to bound, such as {p95: 200}, but was "
          + ConfigFiles.describe(bounds));
      return;
    }
    LocalDate skipUntil = null;
    String skipReason = "";
    JsonNode until = bounds.get(SKIP_UNTIL);
    if (until != null) {
      try {
        skipUntil = LocalDate.parse(until.asText().strip());
      } catch (DateTimeParseException e) {
        problems.add(at + "." + SKIP_UNTIL + " must be a date such as 2026-02-01 but was "
            + ConfigFiles.describe(until));
      }
    }
    JsonNode reason = bounds.get(SKIP_REASON);
    if (reason != null) {
      if (!reason.isTextual()) {
        problems.add(at + "." + SKIP_REASON + " must be text but was " + ConfigFiles.describe(reason));
      } else if (until == null) {
        problems.add(at + "." + SKIP_REASON + " is given without " + SKIP_UNTIL);
      } else {
        skipReason = reason.asText().strip();
      }
    }
    int metrics = 0;
    for (Map.Entry<String, JsonNode> entry : bounds.properties()) {
      String name = entry.getKey();
      if (name.equals(SKIP_UNTIL) || name.equals(SKIP_REASON)) {
        continue;
      }
      metrics++;
      Optional<Metric> metric = Metric.parse(name);
      if (metric.isEmpty()) {
        problems.add(at + ": unknown metric '" + name + "' (accepted: " + Metric.ACCEPTED + ")");
        continue;
      }
      double bound = readBound(metric.get(), entry.getValue(), at + "." + name, problems);
      if (!Double.isNaN(bound)) {
        kpis.add(new Kpi(target, name, metric.get(), bound, skipUntil, skipReason));
      }
    }
    if (metrics == 0) {
      problems.add(at + " has no metric to check, only " + SKIP_UNTIL + "/" + SKIP_REASON);
    }
  }

  private static double readBound(Metric metric, JsonNode value, String at, List<String> problems) {
    double bound;
    if (value.isNumber()) {
      bound = value.asDouble();
    } else if (value.isTextual() && metric.unit().equals("ms")) {
      try {
        bound = Durations.parse(value.asText()).toNanos() / 1e6;
      } catch (IllegalArgumentException e) {
        problems.add(at + " must be milliseconds or a duration such as 250ms but was "
            + ConfigFiles.describe(value));
        return Double.NaN;
      }
    } else {
      problems.add(at + " must be a number but was " + ConfigFiles.describe(value));
      return Double.NaN;
    }
    if (!(bound >= 0) || Double.isInfinite(bound)) {
      problems.add(at + " must be >= 0 but was " + value.asText());
      return Double.NaN;
    }
    if (metric.equals(Metric.ERROR_RATE) && bound > 100) {
      problems.add(at + " is a percentage and must be <= 100 but was " + value.asText());
      return Double.NaN;
    }
    return bound;
  }

  private static AbortOnFail readAbort(JsonNode node, List<String> problems) {
    if (node.isBoolean()) {
      return node.asBoolean() ? new AbortOnFail(true, Duration.ZERO) : AbortOnFail.OFF;
    }
    if (node.isObject()) {
      boolean enabled = true;
      Duration delay = Duration.ZERO;
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        JsonNode v = entry.getValue();
        switch (entry.getKey()) {
          case "enabled" -> {
            if (!v.isBoolean()) {
              problems.add("abort_on_fail.enabled must be true or false but was " + ConfigFiles.describe(v));
            }
            enabled = v.asBoolean();
          }
          case "delay" -> {
            try {
              delay = Durations.parse(v.asText());
              if (delay.isNegative()) {
                throw new IllegalArgumentException("negative");
              }
            } catch (IllegalArgumentException e) {
              problems.add("abort_on_fail.delay must be a duration such as 30s but was "
                  + ConfigFiles.describe(v));
            }
          }
          default -> problems.add("abort_on_fail: unknown key '" + entry.getKey()
              + "' (accepted: enabled, delay)");
        }
      }
      return enabled ? new AbortOnFail(true, delay) : AbortOnFail.OFF;
    }
    problems.add("abort_on_fail must be true, false or {delay: 30s} but was " + ConfigFiles.describe(node));
    return AbortOnFail.OFF;
  }
}
