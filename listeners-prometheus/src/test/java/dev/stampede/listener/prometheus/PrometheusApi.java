package dev.stampede.listener.prometheus;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoublePredicate;
import org.awaitility.core.ConditionTimeoutException;

/** The parts of Prometheus's HTTP API the integration tests use: instant and range queries. */
final class PrometheusApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  PrometheusApi(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * {@code /api/v1/query} at {@code time}, or at the server's now when {@code time} is null: the
   * {@code data} node ({@code resultType}, {@code result}).
   */
  JsonNode query(String promql, Instant time) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + encode(promql) + (time == null ? "" : "&time=" + seconds(time)));
  }

  /** {@code /api/v1/query_range}: the {@code data} node. */
  JsonNode queryRange(String promql, Instant start, Instant end, Duration step) throws IOException, InterruptedException {
    return get("/api/v1/query_range?query=" + encode(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
        + "&step=" + step.toMillis() / 1000.0);
  }

  /** The value of a query that yields one number, or NaN when it yields nothing; {@code time} as in {@link #query}. */
  double scalar(String promql, Instant time) throws IOException, InterruptedException {
    JsonNode result = query(promql, time).path("result");
    if (result.isEmpty()) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  /**
   * Polls {@link #scalar} until {@code accept} holds or {@code timeout} passes (the final scrape may
   * not have been ingested yet); returns the last value.
   */
  double awaitScalar(String promql, Instant time, DoublePredicate accept, Duration timeout)
      throws IOException, InterruptedException {
    try {
      return await(promql).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
          .until(() -> scalar(promql, time), accept::test);
    } catch (ConditionTimeoutException e) {
      return scalar(promql, time); // the caller's assertion says what it was
    }
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
          + response.body());
    }
    return body.path("data");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String seconds(Instant time) {
    return String.format(java.util.Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
  }
}
