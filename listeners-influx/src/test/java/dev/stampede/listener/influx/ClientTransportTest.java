package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.stampede.config.ConfigSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ClientTransport} against a stand-in HTTP server that records requests and answers as told. */
class ClientTransportTest {

  private record Received(String path, String query, String authorization, String encoding, String body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(204);
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      InputStream in = "gzip".equals(encoding) ? new GZIPInputStream(new ByteArrayInputStream(raw))
          : new ByteArrayInputStream(raw);
      received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(),
          exchange.getRequestHeaders().getFirst("Authorization"), encoding,
          new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      int code = exchange.getRequestURI().getPath().equals("/query") ? 200 : status.get();
      byte[] body = code == 200 ? "{\"results\":[{\"statement_id\":0}]}".getBytes(StandardCharsets.UTF_8)
          : code == 204 ? new byte[0]
          : "{\"error\":\"test error\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, code == 204 ? -1 : body.length);
      if (code != 204) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ClientTransport transport(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(Map.of(
        "influx.url", "http://127.0.0.1:" + server.getAddress().getPort(), "influx.db", "perf"));
    values.putAll(extra);
    InfluxConfig config = InfluxConfig.from(ConfigSource.of(values));
    config.validate();
    return ClientTransport.create(config);
  }

  private static List<Point> onePoint() {
    return List.of(Point.measurement("requests").tag("name", "/a b").addField("count", 3L)
        .time(5L, TimeUnit.NANOSECONDS).build());
  }

  @Test
  void sendsTheTokenGzippedLinesAndTheRetentionPolicy() {
    try (ClientTransport transport = transport(Map.of("influx.token", "tok-123", "influx.retention-policy", "week"))) {
      transport.createDatabase();
      transport.write(onePoint());
    }

    assertThat(received).hasSize(2);
    assertThat(received.get(0).path()).isEqualTo("/query");
    assertThat(java.net.URLDecoder.decode(received.get(0).query() + "&" + received.get(0).body(),
        StandardCharsets.UTF_8)).contains("q=CREATE DATABASE \"perf\"");
    Received write = received.get(1);
    assertThat(write.path()).isEqualTo("/write");
    assertThat(write.query()).contains("db=perf", "rp=week", "precision=n");
    assertThat(write.authorization()).isEqualTo("Token tok-123");
    assertThat(write.encoding()).isEqualTo("gzip");
    assertThat(write.body()).isEqualTo("requests,name=/a\\ b count=3i 5\n");
  }

  @Test
  void sendsBasicAuthUncompressedWhenGzipIsOff() {
    try (ClientTransport transport = transport(Map.of("influx.user", "u", "influx.password", "p",
        "influx.gzip", "false"))) {
      transport.write(onePoint());
    }

    assertThat(received.get(0).encoding()).isNull();
    assertThat(received.get(0).query() + received.get(0).authorization()).satisfiesAnyOf(
        s -> assertThat(s).contains("u=u", "p=p"),
        s -> assertThat(s).contains("Basic"));
  }

  @Test
  void serverErrorsAreRetryableAndClientErrorsAreNot() {
    try (ClientTransport transport = transport(Map.of())) {
      status.set(503);
      assertThatThrownBy(() -> transport.write(onePoint()))
          .isInstanceOfSatisfying(InfluxTransport.WriteException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("HTTP 503");
      status.set(400);
      assertThatThrownBy(() -> transport.write(onePoint()))
          .isInstanceOfSatisfying(InfluxTransport.WriteException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("HTTP 400");
      status.set(401);
      assertThatThrownBy(() -> transport.write(onePoint()))
          .isInstanceOfSatisfying(InfluxTransport.WriteException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Test
  void anUnreachableServerIsRetryable() {
    ClientTransport transport = transport(Map.of("influx.url", "http://127.0.0.1:1", "influx.timeout", "500ms"));

    assertThatThrownBy(() -> transport.write(onePoint()))
        .isInstanceOfSatisfying(InfluxTransport.WriteException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageStartingWith("InfluxDB unreachable");
    transport.close();
  }
}
