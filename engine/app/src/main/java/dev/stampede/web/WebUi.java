package dev.stampede.web;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.stampede.config.ConfigException;
import dev.stampede.engine.RunOutcome;
import dev.stampede.report.HtmlReport.KpiRow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web page ({@code stampede run --web}): a start form (users, spawn rate, host, run time),
 * the statistics table and charts updated every second, failures, stop and reset buttons, and
 * downloads of the last finished run's CSV, JSON and HTML report.
 *
 * <p>A small JDK HTTP server on virtual threads; this class binds it and owns its life. Every request
 * passes three filters in turn: {@link HostFilter} (only allowed {@code Host} names, against DNS
 * rebinding), {@link BasicAuthFilter} (with {@link Builder#auth(String)}; constant-time, never logged)
 * and {@link CsrfFilter} (POSTs carry {@code X-Stampede: 1}, which another site cannot send). Then
 * {@link Routes} serves the page, {@code GET /api/state} (polled once a second) and the
 * {@code POST /api/start}, {@code /api/stop} and {@code /api/reset} that drive the {@link RunControl},
 * one run at a time, with the form read by {@link StartForm}.
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
  /** How long {@link #close()} lets a run stop and its listeners flush. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);

  private final String bindHost;
  private final int requestedPort;
  private final HostAllowList allowedHosts;
  private final BasicAuthFilter auth;
  private final RunControl control;
  private final WebRunRequest defaults;
  private final CountDownLatch closed = new CountDownLatch(1);

  private final Object lock = new Object();
  // Guarded by lock.
  private HttpServer server;
  private ExecutorService executor;

  private WebUi(Builder builder) {
    this.bindHost = builder.host;
    this.allowedHosts = HostAllowList.of(builder.allowedHosts);
    this.requestedPort = builder.port;
    this.auth = builder.auth == null ? null : new BasicAuthFilter(builder.auth);
    this.control = new RunControl(Objects.requireNonNull(builder.starter, "runStarter must be set"), builder.kpis,
        builder.onFinished);
    this.defaults = builder.defaults;
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
    boolean loopback;
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
      HttpContext context = created.createContext("/", new Routes(control, defaults));
      // In this order: a request from a rebinding page is refused before it may try a password.
      context.getFilters().add(new HostFilter(allowedHosts));
      if (auth != null) {
        context.getFilters().add(auth);
      }
      context.getFilters().add(new CsrfFilter());
      created.start();
      server = created;
    }
    LOG.info("Stampede web page on {}{}", url(), auth == null ? "" : " (basic auth, user " + auth.user() + ")");
    if (!loopback && auth == null) {
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
    return control.status().lastOutcome();
  }

  /**
   * Stops a run that is going on (waiting up to 60 seconds for users to stop and listeners to
   * flush), stops the server and releases {@link #awaitClose()}. Safe to call more than once.
   */
  @Override
  public void close() {
    HttpServer stopping;
    ExecutorService threads;
    synchronized (lock) {
      stopping = server;
      threads = executor;
      server = null;
    }
    control.stopAndAwait(CLOSE_TIMEOUT);
    if (stopping != null) {
      stopping.stop(0);
      threads.shutdownNow();
    }
    closed.countDown();
  }

  @Override
  public String toString() {
    return "WebUi[" + bindHost + ":" + requestedPort + (auth == null ? "" : ", basic auth") + "]";
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
