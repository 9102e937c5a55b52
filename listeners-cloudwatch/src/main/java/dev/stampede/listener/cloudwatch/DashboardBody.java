package dev.stampede.listener.cloudwatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The JSON body of the CloudWatch dashboard the listener writes when {@code cloudwatch.dashboard}
 * is set: requests and failures per endpoint, p50/p95/p99 of all endpoints, and users.
 *
 * <p>Endpoint names are not known at start, so the widgets use {@code SEARCH} expressions over the
 * namespace's dimension schema; they show every endpoint that ever reported.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
final class DashboardBody {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DashboardBody() {}

  static String json(String namespace, Collection<String> constantDimensions, boolean runId, long stepMillis,
      String region) {
    int period = stepMillis < 60_000 ? 10 : 60;
    List<String> totalSchema = new ArrayList<>();
    totalSchema.add(quote(namespace));
    constantDimensions.stream().sorted().forEach(totalSchema::add);
    if (runId) {
      totalSchema.add("RunId");
    }
    List<String> endpointSchema = new ArrayList<>(totalSchema);
    endpointSchema.add("Method");
    endpointSchema.add("Name");
    String total = "{" + String.join(",", totalSchema) + "}";
    String endpoint = "{" + String.join(",", endpointSchema) + "}";

    ObjectNode root = JSON.createObjectNode();
    ArrayNode widgets = root.putArray("widgets");
    widgets.add(widget(0, "Requests per endpoint", region, period, List.of(
        search(endpoint, "RequestCount", "Sum", period, "r"))));
    widgets.add(widget(12, "Failures per endpoint", region, period, List.of(
        search(endpoint, "FailureCount", "Sum", period, "f"))));
    widgets.add(widget(0, "Response time, all endpoints (ms)", region, period, List.of(
        search(total, "ResponseTime", "p50", period, "p50"),
        search(total, "ResponseTime", "p95", period, "p95"),
        search(total, "ResponseTime", "p99", period, "p99"))));
    widgets.add(widget(12, "Users", region, period, List.of(
        search(total, "UserCount", "Maximum", period, "u"))));
    return root.toString();
  }

  private static String quote(String namespace) {
    return "\"" + namespace.replace("\"", "") + "\"";
  }

  private static ObjectNode search(String schema, String metric, String stat, int period, String id) {
    ObjectNode expression = JSON.createObjectNode();
    expression.put("expression", "SEARCH('" + schema + " MetricName=\"" + metric + "\"', '" + stat + "', " + period + ")");
    expression.put("id", id);
    expression.put("label", "");
    return expression;
  }

  private static ObjectNode widget(int x, String title, String region, int period, List<ObjectNode> metrics) {
    ObjectNode widget = JSON.createObjectNode();
    widget.put("type", "metric");
    widget.put("x", x);
    widget.put("width", 12);
    widget.put("height", 6);
    ObjectNode properties = widget.putObject("properties");
    properties.put("title", title);
    properties.put("view", "timeSeries");
    properties.put("region", region);
    properties.put("period", period);
    properties.put("stat", "Sum");
    ArrayNode array = properties.putArray("metrics");
    for (ObjectNode metric : metrics) {
      array.addArray().add(metric);
    }
    return widget;
  }
}
