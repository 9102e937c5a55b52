package dev.stampede.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stampede.Summary;
import dev.stampede.bus.ResultBus;
import dev.stampede.config.ConfigException;
import dev.stampede.config.Durations;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.report.CsvReport;
import dev.stampede.report.HtmlReport;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.report.RunView;
import dev.stampede.report.WebAssets;
import dev.stampede.result.ResultJson;
import dev.stampede.result.RunResultFile;
import dev.stampede.stats.RunStats;
import dev.stampede.Snapshot;
import dev.stampede.support.Sha256;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web page ({@code stampede run --web}): a start form (users, spawn rate, host, run time),
 * the statistics table and charts updated every second, failures, stop and reset buttons, and
 * downloads of the last finished run's CSV, JSON and HTML report.
 *
 * <p>A small JDK HTTP server on virtual threads. The page polls {@code GET /api/state} once a
 * second; {@code POST /api/start}, {@code /api/stop} and {@code /api/reset} drive the run. POSTs must
 * carry the header {@code X-Stampede: 1}, which a cross-site form cannot send, so another web site
 * open in the same browser cannot start a load test; bound to a loopback address, it also answers
 * only requests whose {@code Host} is a loopback name, so a web site cannot reach it by pointing its
 * own DNS name at 127.0.0.1 (DNS rebinding). With {@link Builder#auth(String)} every request
 * needs HTTP basic auth; the password is compared in constant time and never logged or echoed.
 *
 * <p>Use from a command line:
 * <pre>{@code
 * WebUi web = WebUi.builder().host("127.0.0.1").port(8089).runStarter(request -> ...).build().start();
 * Runtime.getRuntime().addShutdownHook(new Thread(web::close));   // Ctrl-C stops the run and the server
 * web.awaitClose();                                                 // blocks until close()
 * }</pre>
 */
public final class WebUi implements AutoCloseable {

  /** The default port, Locust's. */
  public static final int DEFAULT_PORT = 8089;
  /** The default address: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The header every POST must carry (value {@code 1}); browsers do not let other sites set it. */
  static final String CSRF_HEADER = "X-Stampede";
  private static final String REALM = "Stampede";
  private static final int MAX_FORM_BYTES = 16 * 1024;
  /** How long {@link #close()} lets a run stop and its listeners flush. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
  private static final String PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "frame-ancestors 'none'; form-action 'self'";
  private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);

  /** Where a run is. */
  enum State { IDLE, STARTING, RUNNING, STOPPING, FINISHED, FAILED }

  private final String bindHost;
  private final int requestedPort;
  private final String authUser;
  private final HostAllowList allowedHosts;
  private final byte[] credentialsDigest;
  private final RunStarter starter;
  private final WebRunRequest defaults;
  private final Function<RunOutcome, List<KpiRow>> kpis;
  private final Consumer<RunOutcome> onFinished;
  private final CountDownLatch closed = new CountDownLatch(1);

  private final Object lock = new Object();
  // Guarded by lock.
  private State state = State.IDLE;
  private LoadTest current;
  private WebRunRequest currentRequest;
  private Thread runThread;
  private RunOutcome lastOutcome;
  private List<KpiRow> lastKpis = List.of();
  private String lastError;

  private HttpServer server;
  private ExecutorService executor;
  private volatile boolean loopback;

  private WebUi(Builder builder) {
    this.bindHost = builder.host;
    this.allowedHosts = HostAllowList.of(builder.allowedHosts);
    this.requestedPort = builder.port;
    this.starter = Objects.requireNonNull(builder.starter, "runStarter must be set");
    this.defaults = builder.defaults;
    this.kpis = builder.kpis;
    this.onFinished = builder.onFinished;
    if (builder.auth == null) {
      this.authUser = null;
      this.credentialsDigest = null;
    } else {
      this.authUser = builder.auth.substring(0, builder.auth.indexOf(':'));
      this.credentialsDigest = Sha256.digest(builder.auth.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A builder with the defaults: 127.0.0.1, port 8089, no auth, a form prefilled with 1 user at 1/s. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws IOException when the address cannot be bound (port in use, unknown host)
   */
  public WebUi start() throws IOException {
    synchronized (lock) {
      if (server != null) {
        throw new IllegalStateException("the web page is already started");
      }
      InetSocketAddress address = new InetSocketAddress(bindHost, requestedPort);
      if (address.isUnresolved()) {
        throw new IOException("cannot resolve the web page's host " + bindHost);
      }
      loopback = address.getAddress().isLoopbackAddress();
      HttpServer created = HttpServer.create(address, 0);
      executor = Executors.newVirtualThreadPerTaskExecutor();
      created.setExecutor(executor);
      created.createContext("/", this::handle);
      created.start();
      server = created;
    }
    LOG.info("Stampede web page on {}{}", url(), authUser == null ? "" : " (basic auth, user " + authUser + ")");
    if (!loopback && authUser == null) {
      LOG.warn("the web page listens on {} without --web-auth: anyone who can reach it can start a load test", bindHost);
    }
    return this;
  }

  /** The bound port (the free port chosen when built with port 0). */
  public int port() {
    synchronized (lock) {
      if (server == null) {
        throw new IllegalStateException("the web page is not started");
      }
      return server.getAddress().getPort();
    }
  }

  /** {@code http://HOST:PORT/}. */
  public URI url() {
    String host = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Blocks until {@link #close()} is called (from a shutdown hook or another thread). */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  /** The outcome of the last finished run, or {@code null}. */
  public RunOutcome lastOutcome() {
    synchronized (lock) {
      return lastOutcome;
    }
  }

  /**
   * Stops a run that is going on (waiting up to 60 seconds for users to stop and listeners to
   * flush), stops the server and releases {@link #awaitClose()}. Safe to call more than once.
   */
  @Override
  public void close() {
    Thread running;
    HttpServer stopping;
    synchronized (lock) {
      if (current != null) {
        current.stop();
      }
      running = runThread;
      stopping = server;
      server = null;
    }
    if (running != null) {
      try {
        running.join(CLOSE_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (stopping != null) {
      stopping.stop(0);
      executor.shutdownNow();
    }
    closed.countDown();
  }

  // ---------------------------------------------------------------- routing

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      // Whatever the address bound: a DNS-rebinding page reaches any address, under its own name.
      if (!allowedHosts.allows(exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, 421, "text/plain; charset=utf-8",
            "this page answers only to localhost, IP addresses and the names of --web-allowed-host\n");
        return;
      }
      if (!authorized(exchange)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        send(exchange, 401, "text/plain; charset=utf-8", "authentication required\n");
        return;
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (method.equals("POST")) {
        if (!"1".equals(exchange.getRequestHeaders().getFirst(CSRF_HEADER))) {
          sendJson(exchange, 403, error("POST requests must come from the Stampede page"));
          return;
        }
        switch (path) {
          case "/api/start" -> start(exchange);
          case "/api/stop" -> stop(exchange);
          case "/api/reset" -> reset(exchange);
          default -> sendJson(exchange, 404, error("no such action: " + path));
        }
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      switch (path) {
        case "/", "/index.html" -> sendPage(exchange, WebAssets.own("index.html"));
        case "/assets/stampede.js" -> send(exchange, 200, "text/javascript; charset=utf-8", WebAssets.appJs());
        case "/assets/live.js" -> send(exchange, 200, "text/javascript; charset=utf-8", WebAssets.own("live.js"));
        case "/assets/stampede.css" -> send(exchange, 200, "text/css; charset=utf-8", WebAssets.appCss());
        case "/assets/uPlot.min.js" -> send(exchange, 200, "text/javascript; charset=utf-8", WebAssets.uplotJs());
        case "/assets/uPlot.min.css" -> send(exchange, 200, "text/css; charset=utf-8", WebAssets.uplotCss());
        case "/assets/uPlot-LICENSE.txt" -> send(exchange, 200, "text/plain; charset=utf-8", WebAssets.uplotLicense());
        case "/api/state" -> sendJson(exchange, 200, view());
        default -> {
          if (path.startsWith("/download/")) {
            download(exchange, path.substring("/download/".length()));
          } else {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("web page request {} failed: {}", exchange.getRequestURI().getPath(), WarnThenDebugLogger.describe(e));
      try {
        sendJson(exchange, 500, error("the request failed: " + WarnThenDebugLogger.describe(e)));
      } catch (IOException | RuntimeException alreadyAnswered) {
        // The answer had started; the client sees the connection close.
      }
    }
  }

  // ---------------------------------------------------------------- actions

  private void start(HttpExchange exchange) throws IOException {
    WebRunRequest request;
    try {
      request = parseForm(readForm(exchange));
    } catch (ConfigException e) {
      sendJson(exchange, 400, error(e.getMessage()));
      return;
    }
    synchronized (lock) {
      if (state == State.STARTING || state == State.RUNNING || state == State.STOPPING) {
        sendJson(exchange, 409, error("a run is already going on; stop it first"));
        return;
      }
      state = State.STARTING;
      lastError = null;
    }
    LoadTest loadTest;
    try {
      loadTest = starter.create(request);
      if (loadTest == null) {
        throw new IllegalStateException("the run starter returned no load test");
      }
    } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
      synchronized (lock) {
        state = lastOutcome != null ? State.FINISHED : State.IDLE;
      }
      sendJson(exchange, 400, error(e.getMessage()));
      return;
    } catch (RuntimeException e) {
      synchronized (lock) {
        state = lastOutcome != null ? State.FINISHED : State.IDLE;
      }
      LOG.warn("cannot start a run from the web page: {}", WarnThenDebugLogger.describe(e));
      sendJson(exchange, 500, error("cannot start the run: " + WarnThenDebugLogger.describe(e)));
      return;
    }
    synchronized (lock) {
      current = loadTest;
      currentRequest = request;
      state = State.RUNNING;
      runThread = Thread.ofPlatform().daemon().name("stampede-web-run").start(() -> runToEnd(loadTest));
    }
    sendJson(exchange, 200, view());
  }

  private void runToEnd(LoadTest loadTest) {
    RunOutcome outcome;
    try {
      outcome = loadTest.run();
    } catch (RuntimeException e) {
      String why = e instanceof ResultBus.ListenerStartException
          ? "the run could not start: " + e.getMessage()
          : "the run failed: " + WarnThenDebugLogger.describe(e);
      LOG.warn(why);
      synchronized (lock) {
        state = State.FAILED;
        lastError = why;
        current = null;
        runThread = null;
      }
      return;
    }
    List<KpiRow> rows;
    try {
      rows = List.copyOf(kpis.apply(outcome));
    } catch (RuntimeException e) {
      LOG.warn("cannot evaluate KPIs: {}", WarnThenDebugLogger.describe(e));
      rows = List.of();
    }
    // The result files are written before the page says "finished", so whoever polls the state
    // and then reads them finds them.
    String finishError = null;
    try {
      onFinished.accept(outcome);
    } catch (RuntimeException e) {
      finishError = WarnThenDebugLogger.describe(e);
      LOG.warn("handling the finished run failed: {}", finishError);
    }
    synchronized (lock) {
      lastOutcome = outcome;
      lastKpis = rows;
      state = State.FINISHED;
      current = null;
      runThread = null;
      if (finishError != null) {
        lastError = finishError;
      }
    }
  }

  private void stop(HttpExchange exchange) throws IOException {
    synchronized (lock) {
      if (state != State.RUNNING && state != State.STOPPING) {
        sendJson(exchange, 409, error("no run is going on"));
        return;
      }
      current.stop();
      state = State.STOPPING;
    }
    sendJson(exchange, 200, view());
  }

  /**
   * While a run goes on, starts its statistics afresh (as Locust's reset does); after a run, clears
   * the page for the next one.
   */
  private void reset(HttpExchange exchange) throws IOException {
    synchronized (lock) {
      if (state == State.RUNNING) {
        if (!current.resetStatistics()) {
          sendJson(exchange, 409, error("nothing to reset yet: the run is warming up"));
          return;
        }
        sendJson(exchange, 200, view());
        return;
      }
      if (state == State.STARTING || state == State.STOPPING) {
        sendJson(exchange, 409, error("the run is " + (state == State.STARTING ? "starting" : "stopping")
            + "; reset when it is running or has ended"));
        return;
      }
      lastOutcome = null;
      lastKpis = List.of();
      lastError = null;
      currentRequest = null;
      state = State.IDLE;
    }
    sendJson(exchange, 200, view());
  }

  private void download(HttpExchange exchange, String name) throws IOException {
    RunOutcome outcome;
    List<KpiRow> rows;
    synchronized (lock) {
      outcome = lastOutcome;
      rows = lastKpis;
    }
    if (outcome == null) {
      send(exchange, 409, "text/plain; charset=utf-8", "no finished run yet: downloads appear when a run has ended\n");
      return;
    }
    Summary summary = outcome.summary();
    String base = "stampede-" + summary.run().runId().replaceAll("[^A-Za-z0-9._-]", "_");
    switch (name) {
      case "stats.csv", "stats_history.csv", "failures.csv" -> {
        Path dir = Files.createTempDirectory("stampede-web-csv");
        try {
          List<Path> files = CsvReport.write(dir.resolve("run").toString(), summary, outcome.history());
          Path file = files.stream().filter(p -> p.getFileName().toString().equals("run_" + name)).findFirst()
              .orElseThrow();
          attachment(exchange, base + "_" + name);
          send(exchange, 200, "text/csv; charset=utf-8", Files.readAllBytes(file));
        } finally {
          try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
      case "result.json" -> {
        attachment(exchange, base + ".json");
        send(exchange, 200, "application/json", ResultJson.toJson(
            RunResultFile.fromSummary(summary, outcome.deliveries(), outcome.taskErrors())));
      }
      case "report.html" -> {
        attachment(exchange, base + ".html");
        send(exchange, 200, "text/html; charset=utf-8", HtmlReport.render(outcome, rows));
      }
      default -> send(exchange, 404, "text/plain; charset=utf-8", "no such download\n");
    }
  }

  // ---------------------------------------------------------------- the view

  /** The page's data: state, error, form defaults and the live or last run's view. */
  ObjectNode view() {
    State nowState;
    LoadTest running;
    WebRunRequest request;
    RunOutcome outcome;
    List<KpiRow> rows;
    String error;
    synchronized (lock) {
      nowState = state;
      running = current;
      request = currentRequest;
      outcome = lastOutcome;
      rows = lastKpis;
      error = lastError;
    }
    ObjectNode root;
    if (running != null) {
      root = liveView(running, request);
    } else if (outcome != null && nowState == State.FINISHED) {
      root = RunView.finished(outcome, rows);
    } else {
      root = RunView.newObject();
      RunView.statistics(root, List.of(), null);
      RunView.history(root, List.of());
    }
    root.put("state", nowState.name().toLowerCase(Locale.ROOT));
    root.put("live", running != null);
    root.put("downloads", outcome != null && nowState == State.FINISHED);
    if (error != null) {
      root.put("error", error);
    }
    ObjectNode form = root.putObject("defaults");
    form.put("users", defaults.users());
    form.put("spawn_rate", defaults.spawnRate());
    form.put("host", defaults.host() == null ? "" : defaults.host());
    form.put("run_time", defaults.runTime() == null ? "" : Durations.format(defaults.runTime()));
    return root;
  }

  private ObjectNode liveView(LoadTest running, WebRunRequest request) {
    ObjectNode root = RunView.newObject();
    ObjectNode run = root.putObject("run");
    RunStats stats = running.stats();
    Snapshot snapshot = stats == null ? null : stats.lastSnapshot();
    String host = request != null && request.host() != null ? request.host() : defaults.host();
    run.put("host", host == null ? "" : host);
    run.put("users", running.activeUsers());
    if (stats != null) {
      run.put("started_at", Instant.ofEpochMilli(stats.startMillis()).toString());
      run.put("duration_s", RunView.round(stats.elapsedSeconds(System.currentTimeMillis())));
    }
    if (snapshot != null) {
      RunView.statistics(root, snapshot.endpoints(), snapshot.total());
    } else {
      RunView.statistics(root, List.of(), null);
    }
    RunView.history(root, stats == null ? List.of() : stats.history().points());
    RunView.failures(root, stats == null ? List.of() : stats.failures());
    return root;
  }

  // ---------------------------------------------------------------- form

  private static Map<String, String> readForm(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      throw new ConfigException("the form is larger than " + MAX_FORM_BYTES + " bytes");
    }
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      form.put(key, value.trim());
    }
    return form;
  }

  /** The form's values, checked; every problem at once, naming the field, the value and the rule. */
  static WebRunRequest parseForm(Map<String, String> form) {
    List<String> problems = new ArrayList<>();
    int users = 0;
    String usersText = form.getOrDefault("users", "");
    try {
      users = Integer.parseInt(usersText);
      if (users < 1) {
        problems.add("users must be a whole number >= 1 but was " + usersText);
      }
    } catch (NumberFormatException e) {
      problems.add("users must be a whole number >= 1 but was '" + usersText + "'");
    }
    double spawnRate = 0;
    String rateText = form.getOrDefault("spawn_rate", "");
    try {
      spawnRate = Double.parseDouble(rateText);
      if (!(spawnRate > 0) || Double.isInfinite(spawnRate)) {
        problems.add("spawn rate must be a number > 0 but was " + rateText);
      }
    } catch (NumberFormatException e) {
      problems.add("spawn rate must be a number > 0 but was '" + rateText + "'");
    }
    String host = form.getOrDefault("host", "");
    if (!host.isEmpty()) {
      try {
        URI uri = new URI(host);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            || uri.getHost() == null) {
          problems.add("host " + host + " must be an http:// or https:// URL with a host");
        }
      } catch (java.net.URISyntaxException e) {
        problems.add("host " + host + " must be an http:// or https:// URL with a host");
      }
    }
    Duration runTime = null;
    String runTimeText = form.getOrDefault("run_time", "");
    if (!runTimeText.isEmpty()) {
      try {
        runTime = Durations.parse(runTimeText);
        if (runTime.isZero()) {
          problems.add("run time must be > 0 but was " + runTimeText);
        }
      } catch (IllegalArgumentException e) {
        problems.add("run time " + runTimeText + " " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new WebRunRequest(users, spawnRate, host.isEmpty() ? null : host, runTime);
  }

  // ---------------------------------------------------------------- auth and responses

  private boolean authorized(HttpExchange exchange) {
    if (credentialsDigest == null) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    // Digests have one length whatever was typed, so the comparison takes the same time for every guess.
    return MessageDigest.isEqual(Sha256.digest(given), credentialsDigest);
  }

  /** Whether a Host header names this machine by a loopback name or address (any port). */
  static boolean loopbackHostHeader(String host) {
    if (host == null) {
      return false;
    }
    String name = host.trim().toLowerCase(Locale.ROOT);
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      return end > 0 && name.substring(1, end).equals("::1");
    }
    int colon = name.indexOf(':');
    if (colon >= 0) {
      name = name.substring(0, colon);
    }
    return name.equals("localhost") || name.endsWith(".localhost") || name.matches("127(\\.\\d{1,3}){3}");
  }

  private static ObjectNode error(String message) {
    ObjectNode node = RunView.newObject();
    node.put("error", message);
    return node;
  }

  private static void attachment(HttpExchange exchange, String fileName) {
    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
  }

  private static void sendPage(HttpExchange exchange, String html) throws IOException {
    exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    send(exchange, 200, "text/html; charset=utf-8", html);
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    send(exchange, status, "application/json", RunView.toJson(body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public String toString() {
    return "WebUi[" + bindHost + ":" + requestedPort + (authUser == null ? "" : ", basic auth") + "]";
  }

  // ---------------------------------------------------------------- builder

  /** Builds a {@link WebUi}; every setter checks its argument. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String auth;
    private List<String> allowedHosts = List.of();
    private RunStarter starter;
    private WebRunRequest defaults = new WebRunRequest(1, 1, null, null);
    private Function<RunOutcome, List<KpiRow>> kpis = outcome -> List.of();
    private Consumer<RunOutcome> onFinished = outcome -> {};

    private Builder() {}

    /** The address to bind. The default is 127.0.0.1 (this machine only). */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /** The port, 0 for a free one (read it with {@link WebUi#port()}). The default is 8089. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Requires HTTP basic auth with {@code user:password}; {@code null} for none (the default).
     *
     * @throws ConfigException when it is not {@code user:password}; the message never contains it
     */
    public Builder auth(String userColonPassword) {
      if (userColonPassword != null) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0 || colon == userColonPassword.length() - 1) {
          throw new ConfigException("--web-auth must be user:password with a non-empty user and password");
        }
      }
      this.auth = userColonPassword;
      return this;
    }

    /**
     * Names, beyond loopback names and IP addresses, that requests may carry in their {@code Host}
     * header (the names this page is reached by); {@code *} allows any. The default is none.
     */
    public Builder allowedHosts(List<String> names) {
      this.allowedHosts = List.copyOf(names);
      return this;
    }

    /** Builds the load test for each press of the start button. Required. */
    public Builder runStarter(RunStarter starter) {
      this.starter = Objects.requireNonNull(starter, "starter");
      return this;
    }

    /** The values the start form shows first. The default is 1 user at 1/s, no host, no run time. */
    public Builder defaults(WebRunRequest defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults");
      return this;
    }

    /** Evaluates KPIs of a finished run for its HTML report. The default is none. */
    public Builder kpis(Function<RunOutcome, List<KpiRow>> kpis) {
      this.kpis = Objects.requireNonNull(kpis, "kpis");
      return this;
    }

    /** Called on the run's thread after each run ends, e.g. to write {@code --json}/{@code --csv} files. */
    public Builder onFinished(Consumer<RunOutcome> onFinished) {
      this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
      return this;
    }

    /** The web page, not yet started. */
    public WebUi build() {
      if (starter == null) {
        throw new IllegalStateException("runStarter must be set");
      }
      return new WebUi(this);
    }
  }
}
