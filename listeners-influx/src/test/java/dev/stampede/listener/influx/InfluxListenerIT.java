package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.bus.ResultBus;
import dev.stampede.testkit.EngineFeed;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listener against Debian's {@code influxd} on loopback, fed by real in-process load tests
 * against a loopback HTTP target (or, for exact names, by the result bus).
 */
class InfluxListenerIT {

  private static final String DB = "stampede_it";
  private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);

  private static InfluxServer influx;
  private static HttpServer target;
  private static ExecutorService targetExecutor;

  /** Requests {@code /ok} three times as often as {@code /fail}, which answers 500. */
  public static final class ShopUser extends User {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ShopUser() {}

    @Override
    protected WaitTime waitTime() {
      return WaitTime.constant(0.005);
    }

    @Task(3)
    void ok() throws Exception {
      measure("/ok", () -> call("/ok"));
    }

    @Task(1)
    void fail() throws Exception {
      measure("/fail", () -> call("/fail"));
    }

    private int call(String path) throws IOException, InterruptedException {
      HttpResponse<Void> response = CLIENT.send(HttpRequest.newBuilder(URI.create(host() + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 400) {
        throw new IOException("HTTP " + response.statusCode());
      }
      return response.statusCode();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    influx = InfluxServer.startFresh();
    targetExecutor = Executors.newVirtualThreadPerTaskExecutor();
    target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext("/", exchange -> {
      int status = exchange.getRequestURI().getPath().equals("/fail") ? 500 : 200;
      byte[] body = "stampede".getBytes();
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    target.setExecutor(targetExecutor);
    target.start();
  }

  @AfterAll
  static void stop() {
    if (target != null) {
      target.stop(0);
      targetExecutor.close();
    }
    if (influx != null) {
      influx.close();
    }
  }

  private static String targetUrl() {
    return "http://127.0.0.1:" + target.getAddress().getPort();
  }

  private static InfluxListener listener(InfluxServer server, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(Map.of("influx.url", server.url(), "influx.db", DB,
        "influx.step", "1s", "influx.retry-backoff", "50ms", "influx.retry-max-backoff", "500ms"));
    values.putAll(extra);
    return InfluxListener.builder().config(InfluxConfig.from(ConfigSource.of(values))).build();
  }

  private static LoadTest.Builder load(String runId, InfluxListener listener, Duration runTime) {
    return LoadTest.builder().host(targetUrl()).userClasses(List.of(ShopUser.class)).users(8).spawnRate(8)
        .runTime(runTime).runId(runId).instance("it-gen").scenario("InfluxListenerIT").tags(Map.of("env", "it"))
        .listener("influx", listener);
  }

  private static String newRunId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static long sum(InfluxServer server, String field, String runId) throws Exception {
    return (long) server.scalar(DB, "SELECT sum(\"" + field + "\") FROM requests WHERE run_id='" + runId
        + "' AND \"name\" != 'total'");
  }

  private static ListenerDelivery delivery(RunOutcome outcome) {
    return outcome.deliveries().stream().filter(d -> d.name().equals("influx")).findFirst().orElseThrow();
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(POLL_DEADLINE).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
  }

  private static long detail(InfluxListener listener, String key) {
    return ((Number) listener.report().details().get(key)).longValue();
  }

  @Test
  void requestAndFailureTotalsInInfluxEqualTheEngineTotalsExactly() throws Exception {
    String runId = newRunId("it-total");
    InfluxListener listener = listener(influx, Map.of());

    RunOutcome outcome = load(runId, listener, Duration.ofSeconds(10)).build().run();

    EndpointStats total = outcome.summary().total();
    assertThat(total.count()).isGreaterThan(1_000);
    assertThat(total.failures()).isGreaterThan(100);
    ListenerDelivery delivery = delivery(outcome);
    assertThat(delivery.dropped()).isZero();
    assertThat(delivery.failed()).isZero();
    assertThat(sum(influx, "count", runId)).isEqualTo(total.count());
    assertThat(sum(influx, "failures", runId)).isEqualTo(total.failures());
    assertThat((long) influx.scalar(DB, "SELECT sum(\"count\") FROM requests WHERE run_id='" + runId
        + "' AND \"name\" = 'total'")).isEqualTo(total.count());
    assertThat((long) influx.scalar(DB, "SELECT sum(\"count\") FROM errors WHERE run_id='" + runId + "'"))
        .isEqualTo(total.failures());
    assertThat(influx.column(DB, "SELECT \"text\" FROM events WHERE run_id='" + runId + "'", "text"))
        .hasSize(2).anySatisfy(text -> assertThat(text).startsWith(total.count() + " requests"));
  }

  @Test
  void losesNothingWhileInfluxIsStoppedAndRestartedMidRun() throws Exception {
    try (InfluxServer server = InfluxServer.startFresh();
        ExecutorService runner = Executors.newSingleThreadExecutor()) {
      String runId = newRunId("it-restart");
      // The flush timeout only bounds a server that never comes back; influxd may take a while to
      // stop and start again on a busy machine, possibly past the end of the run.
      InfluxListener listener = listener(server, Map.of("influx.flush-timeout", "60s"));
      Future<RunOutcome> run = runner.submit(() -> load(runId, listener, Duration.ofSeconds(12)).build().run());

      await("the first points to arrive", () -> count(server, runId) > 0);
      server.stop();
      await("writes to fail and be retried", () -> detail(listener, "retries") >= 3);
      server.start();
      RunOutcome outcome = run.get(90, TimeUnit.SECONDS);

      EndpointStats total = outcome.summary().total();
      ListenerDelivery delivery = delivery(outcome);
      assertThat(delivery.dropped()).isZero();
      assertThat(delivery.failed()).isZero();
      assertThat(delivery.report().details()).containsEntry("points_dropped", 0L);
      assertThat(sum(server, "count", runId)).isEqualTo(total.count());
      assertThat(sum(server, "failures", runId)).isEqualTo(total.failures());
    }
  }

  @Test
  void countsAndReportsWhatATinyBufferCannotHoldWhileInfluxIsDown() throws Exception {
    try (InfluxServer server = InfluxServer.startFresh();
        ExecutorService helper = Executors.newSingleThreadExecutor()) {
      String runId = newRunId("it-drops");
      server.stop();
      InfluxListener listener = listener(server, Map.of("influx.buffer-size", "4", "influx.flush-timeout", "30s"));
      // InfluxDB comes back only once the listener has had to drop points.
      Future<?> restart = helper.submit(() -> {
        await("results to be dropped", () -> listener.report().failed() > 0);
        server.start();
        return null;
      });

      RunOutcome outcome = load(runId, listener, Duration.ofSeconds(5)).build().run();
      restart.get(60, TimeUnit.SECONDS);

      EndpointStats total = outcome.summary().total();
      ListenerDelivery delivery = delivery(outcome);
      ExportReport report = delivery.report();
      assertThat(report.failed()).isPositive();
      assertThat(delivery.failed()).isEqualTo(report.failed());
      assertThat((long) report.details().get("points_dropped")).isPositive();
      assertThat((long) report.details().get("points_written")).isPositive();
      // Every result is either in InfluxDB or reported as failed: the accounting is exact.
      assertThat(sum(server, "count", runId) + report.failed()).isEqualTo(total.count());
    }
  }

  @Test
  void hostileEndpointNamesRoundTripUnchanged() throws Exception {
    List<String> names = List.of("/users/[id]", "/a b,c=d", "/quote\"d", "/single'quote", "/back\\slash",
        "/new\nline", "/unicodé-名前-✓", "/{tag}=x;y", "tab\there", "trailing\\", "/a\\ b", "=", ",", " ");
    RunInfo run = new RunInfo(newRunId("it-names"), "it-gen", "", "names", Map.of("team", "a b,c=d"),
        Instant.now());
    ResultBus bus = ResultBus.builder().listener("influx", listener(influx, Map.of()))
        .stopTimeout(Duration.ofSeconds(30)).build();
    bus.start(run);
    EngineFeed feed = new EngineFeed(bus);
    long now = System.currentTimeMillis() * 1_000;
    for (String name : names) {
      feed.record(new RequestResult(now, "GET", name, 1_000_000, 10, 200, null, run.tags()));
      feed.record(new RequestResult(now, "GET", name, 2_000_000, 10, 503, "HTTP 503 " + name, run.tags()));
    }
    feed.tick(1);
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, names.size() * 2L, names.size(), 0, 0, 0,
        0, 0, 0, 0, new Percentiles(new double[Percentiles.REPORTED.length]));
    List<ListenerDelivery> deliveries = bus.stop(new Summary(run, run.startedAt(), Duration.ofSeconds(1), 1, List.of(), total,
        List.of(), 0));
    assertThat(deliveries.get(0).failed()).isZero();

    String where = " WHERE run_id='" + run.runId() + "'";
    Set<String> tags = new HashSet<>(influx.column(DB,
        "SHOW TAG VALUES FROM requests WITH KEY = \"name\"" + where, "value"));
    Set<String> exactFromFields = new HashSet<>(influx.column(DB,
        "SELECT \"endpoint\" FROM requests" + where + " AND \"endpoint\" != ''", "endpoint"));
    Set<String> expectedTags = new HashSet<>(Set.of("total"));
    Set<String> expectedExact = new HashSet<>();
    for (String name : names) {
      expectedTags.add(InfluxNaming.tag(name));
      if (InfluxNaming.needsStandIn(name)) {
        expectedExact.add(name);
      } else {
        assertThat(tags).as("tag value of %s", name).contains(name);
      }
    }
    // Names a line-protocol tag can carry come back unchanged as tags; the two it cannot (a line
    // feed, a final backslash) come back unchanged in the endpoint field.
    assertThat(tags).isEqualTo(expectedTags);
    assertThat(exactFromFields).isEqualTo(expectedExact).contains("/new\nline", "trailing\\");
    assertThat(influx.column(DB, "SHOW TAG VALUES FROM requests WITH KEY = \"team\"" + where, "value"))
        .containsExactly("a b,c=d");
    // Every name is kept apart: one series per name, each with its two requests.
    for (JsonNode series : influx.query(DB, "SELECT sum(\"count\") FROM requests" + where
        + " AND \"name\" != 'total' GROUP BY \"name\"").path("series")) {
      assertThat(series.path("values").path(0).path(1).asLong()).as(series.path("tags").toString()).isEqualTo(2);
    }
    assertThat(influx.query(DB, "SELECT sum(\"count\") FROM requests" + where + " AND \"name\" != 'total' GROUP BY \"name\"")
        .path("series")).hasSize(names.size());
    Set<String> errorMessages = new HashSet<>(influx.column(DB,
        "SHOW TAG VALUES FROM errors WITH KEY = \"error\"" + where, "value"));
    for (String name : names) {
      assertThat(errorMessages).contains(InfluxNaming.tag("HTTP 503 " + name));
    }
  }

  @Test
  void everyQueryOfTheShippedDashboardReturnsData() throws Exception {
    String runId = newRunId("it-dash");
    InfluxListener listener = listener(influx, Map.of());
    load(runId, listener, Duration.ofSeconds(5)).build().run();

    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(dashboardFile()));
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("query").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      queries.add(variable.path("query").asText());
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.has("query")) {
        queries.add(annotation.path("query").asText());
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10).allSatisfy(q -> assertThat(q).isNotBlank());

    for (String query : queries) {
      String substituted = query.replace("$run_id", runId).replace("$instance", "it-gen")
          .replace("$timeFilter", "time > now() - 1h").replace("$__interval", "1s");
      assertThat(substituted).as(query).doesNotContainPattern("\\$[a-zA-Z_{]");
      JsonNode series = influx.query(DB, substituted).path("series");
      assertThat(series).as("series of %s", substituted).isNotEmpty();
      boolean hasValue = false;
      for (JsonNode s : series) {
        for (JsonNode row : s.path("values")) {
          for (int i = 1; i < row.size(); i++) {
            hasValue |= !row.get(i).isNull();
          }
          hasValue |= query.startsWith("SHOW") && row.size() > 0;
        }
      }
      assertThat(hasValue).as("a non-null value from %s", substituted).isTrue();
      if (query.contains("KEY = \"run_id\"")) {
        assertThat(influx.column(DB, substituted, "value")).contains(runId);
      }
    }
  }

  private static long count(InfluxServer server, String runId) {
    try {
      return sum(server, "count", runId);
    } catch (Exception e) {
      return 0;
    }
  }

  private static Path dashboardFile() {
    Path path = Path.of("..", "examples", "dashboards", "grafana", "stampede-influxdb.json");
    assertThat(path).exists();
    return path;
  }
}
