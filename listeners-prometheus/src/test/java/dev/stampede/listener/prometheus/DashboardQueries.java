package dev.stampede.listener.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The PromQL queries of a Grafana dashboard JSON model: every panel target and annotation. */
final class DashboardQueries {

  /**
   * @param where the panel title and refId, or the annotation name, for messages
   * @param expr the PromQL with Grafana variables unsubstituted
   * @param instant whether Grafana runs it as an instant query (tables, stats, annotations at the end)
   */
  record Query(String where, String expr, boolean instant) {}

  private DashboardQueries() {}

  static List<Query> of(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    collect(dashboard.path("panels"), queries);
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.hasNonNull("expr")) {
        queries.add(new Query("annotation " + annotation.path("name").asText(), annotation.path("expr").asText(), false));
      }
    }
    return queries;
  }

  private static void collect(JsonNode panels, List<Query> queries) {
    for (JsonNode panel : panels) {
      collect(panel.path("panels"), queries);
      if (panel.path("type").asText().equals("row") || panel.path("type").asText().equals("text")) {
        continue;
      }
      if (panel.path("targets").isEmpty()) {
        throw new AssertionError("panel '" + panel.path("title").asText() + "' has no query");
      }
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
            target.path("expr").asText(), target.path("instant").asBoolean(false)));
      }
    }
  }

  /** Whether a query's {@code result} holds at least one series with a finite value. */
  static boolean hasFiniteValue(JsonNode result) {
    for (JsonNode series : result) {
      List<JsonNode> values = new ArrayList<>();
      if (series.has("value")) {
        values.add(series.get("value"));
      }
      series.path("values").forEach(values::add);
      for (JsonNode value : values) {
        double v = Double.parseDouble(value.get(1).asText());
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The "All" value of the dashboard variable {@code name}, or {@code null} when there is none. */
  static String allValue(JsonNode dashboard, String name) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("name").asText().equals(name)) {
        return variable.path("allValue").asText(null);
      }
    }
    return null;
  }
}
