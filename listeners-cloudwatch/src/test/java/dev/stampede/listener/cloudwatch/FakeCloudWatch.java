package dev.stampede.listener.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A loopback stand-in for CloudWatch that speaks what the real SDK sends since 2.40.6: Smithy RPC
 * v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/PutMetricData},
 * {@code Content-Type: application/cbor}, {@code Smithy-Protocol: rpc-v2-cbor}, gzip above 10 KB).
 * PutMetricAlarm and PutDashboard arrive the same way ({@code .../operation/PutMetricAlarm}).
 * It decodes every request with Jackson's CBOR reader, answers like the service (an empty CBOR map
 * on success, a CBOR error body with {@code __type} and the {@code x-amzn-query-error} header of
 * query-compatible services on failure), and records every call and every datum it accepted.
 */
final class FakeCloudWatch implements AutoCloseable {

  static final String PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
  static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  /** A scripted failure answer. */
  enum Fault {
    /** 400 with {@code __type} naming Throttling and the query-compatible error header. */
    THROTTLING,
    /** 400 with {@code __type} naming Throttling in the body only. */
    THROTTLING_BODY_ONLY,
    /** 500 InternalFailure. */
    INTERNAL_ERROR,
    /** 503 ServiceUnavailable. */
    SERVICE_UNAVAILABLE,
    /** 400 InvalidParameterValue. */
    INVALID_PARAMETER,
    /** 403 AccessDenied, as for credentials without the operation's IAM permission. */
    ACCESS_DENIED
  }

  /** One HTTP request as received. */
  record Received(String operation, Map<String, String> headers, boolean gzipped, int wireBytes,
      int bodyBytes, JsonNode body, int status) {

    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Received> received = new ArrayList<>();
  private final List<JsonNode> accepted = new ArrayList<>();
  private final Deque<Fault> scriptedFaults = new ArrayDeque<>();
  private volatile Predicate<JsonNode> rejectWhen = body -> false;
  private final Map<String, Fault> failedOperations = new java.util.concurrent.ConcurrentHashMap<>();

  FakeCloudWatch() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code times} requests are answered with {@code fault}. */
  synchronized void failNext(int times, Fault fault) {
    for (int i = 0; i < times; i++) {
      scriptedFaults.add(fault);
    }
  }

  /** Requests whose decoded body matches are answered with InvalidParameterValue. */
  void rejectWhen(Predicate<JsonNode> predicate) {
    this.rejectWhen = predicate;
  }

  /** Every request for {@code operation} is answered with {@code fault}, for good. */
  void failEvery(String operation, Fault fault) {
    failedOperations.put(operation, fault);
  }

  /** The decoded bodies of the requests for {@code operation} answered with success, in order. */
  synchronized List<JsonNode> accepted(String operation) {
    return received.stream().filter(r -> r.status == 200 && r.operation.equals(operation))
        .map(Received::body).toList();
  }

  /** Every request received, failed attempts included. */
  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** The PutMetricData requests answered with success. */
  synchronized List<Received> acceptedPutMetricData() {
    return received.stream().filter(r -> r.status == 200 && r.operation.equals("PutMetricData")).toList();
  }

  /** Every datum of an accepted PutMetricData call. */
  synchronized List<JsonNode> datums() {
    return List.copyOf(accepted);
  }

  /** The sum of {@code Value} of accepted datums named {@code metric}, endpoint rows only (with a Name). */
  long endpointSum(String metric) {
    return (long) datums().stream()
        .filter(d -> d.path("MetricName").asText().equals(metric) && dimension(d, "Name") != null)
        .mapToDouble(d -> d.path("Value").asDouble()).sum();
  }

  /** The value of dimension {@code name} of {@code datum}, or null. */
  static String dimension(JsonNode datum, String name) {
    for (JsonNode dimension : datum.path("Dimensions")) {
      if (dimension.path("Name").asText().equals(name)) {
        return dimension.path("Value").asText();
      }
    }
    return null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] wire = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      boolean gzipped = "gzip".equalsIgnoreCase(headers.get("content-encoding"));
      byte[] body = wire;
      if (gzipped) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
          body = in.readAllBytes();
        }
      }
      String path = exchange.getRequestURI().getPath();
      String operation = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
      boolean wellFormed = exchange.getRequestMethod().equals("POST") && !operation.isEmpty()
          && "application/cbor".equals(headers.get("content-type"))
          && "rpc-v2-cbor".equals(headers.get("smithy-protocol"));
      JsonNode decoded = null;
      if (wellFormed) {
        try {
          decoded = CBOR.readTree(body);
        } catch (IOException e) {
          wellFormed = false;
        }
      }
      Fault fault;
      synchronized (this) {
        fault = scriptedFaults.poll();
      }
      if (fault == null) {
        fault = failedOperations.get(operation);
      }
      if (fault == null && wellFormed && operation.equals("PutMetricData") && rejectWhen.test(decoded)) {
        fault = Fault.INVALID_PARAMETER;
      }
      int status;
      if (!wellFormed) {
        status = 400;
        error(exchange, status, "SerializationException", null, "not an rpc-v2-cbor request");
      } else if (fault != null) {
        status = switch (fault) {
          case THROTTLING -> error(exchange, 400, "Throttling", "Throttling;Sender", "Rate exceeded");
          case THROTTLING_BODY_ONLY -> error(exchange, 400, "Throttling", null, "Rate exceeded");
          case INTERNAL_ERROR -> error(exchange, 500, "InternalServiceError", "InternalServiceError;Receiver", "Internal failure");
          case SERVICE_UNAVAILABLE -> error(exchange, 503, "ServiceUnavailable", "ServiceUnavailable;Server", "Unavailable");
          case INVALID_PARAMETER -> error(exchange, 400, "InvalidParameterValueException", "InvalidParameterValue;Sender",
              "The value NaN for parameter MetricData.member.1.Value is invalid.");
          case ACCESS_DENIED -> error(exchange, 403, "AccessDenied", "AccessDenied;Sender",
              "User is not authorized to perform: cloudwatch:" + operation);
        };
      } else {
        status = 200;
        reply(exchange, 200, Map.of(), null);
      }
      synchronized (this) {
        received.add(new Received(operation, Map.copyOf(headers), gzipped, wire.length, body.length, decoded, status));
        if (status == 200 && operation.equals("PutMetricData")) {
          decoded.path("MetricData").forEach(accepted::add);
        }
      }
    }
  }

  private static int error(HttpExchange exchange, int status, String type, String queryError, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("__type", "com.amazonaws.cloudwatch#" + type);
    body.put("message", message);
    reply(exchange, status, body, queryError);
    return status;
  }

  private static void reply(HttpExchange exchange, int status, Map<String, Object> body, String queryError)
      throws IOException {
    byte[] bytes = CBOR.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/cbor");
    exchange.getResponseHeaders().set("Smithy-Protocol", "rpc-v2-cbor");
    exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-" + System.nanoTime());
    if (queryError != null) {
      exchange.getResponseHeaders().set("x-amzn-query-error", queryError);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
