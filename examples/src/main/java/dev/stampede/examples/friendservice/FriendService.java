package dev.stampede.examples.friendservice;

import com.sun.net.httpserver.HttpServer;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo target service: a small friend network over HTTP, backed by an embedded H2 database,
 * for load-testing examples.
 *
 * <ul>
 *   <li>{@code POST /friend-service/v1/users} {@code {"username","email"}}: 201 with the created
 *       user {@code {"id","username","email"}}; 400 for a bad body; 409 for a taken username.
 *   <li>{@code GET /friend-service/v1/users?username=PART}: the users whose username contains
 *       {@code PART}, shortest first, at most 50, as a JSON array. Every search scans the whole
 *       table on purpose, so reads slow down as writes grow it.
 *   <li>{@code POST /friend-service/v1/friends} {@code {"userId","friendId"}}: 201; 404 when
 *       either user does not exist; 409 for a repeated request; 400 for bad input.
 *   <li>{@code GET /health/ready}: 503 with the seeding progress until the database is seeded,
 *       then 200 {@code {"status":"ready"}}. The API answers 503 until then too.
 *       {@code GET /health/live}: always 200.
 * </ul>
 *
 * <p>After {@link #start()} the service seeds its database in the background with users generated
 * from a fixed {@link java.util.Random} seed ({@code adjective_noun_number} usernames), so every
 * run starts from the same table and readiness genuinely flips. Requests run on virtual threads.
 *
 * <pre>{@code
 * try (FriendService service = FriendService.builder().users(5_000).build().start()) {
 *   service.awaitReady(Duration.ofSeconds(30));
 *   // load test service.baseUri()
 * }
 * }</pre>
 *
 * <p>Run it standalone with {@link #main(String[])}: {@code --port} (default 8080), {@code --users}
 * (default 5000), {@code --host}, {@code --seed}.
 */
public final class FriendService implements AutoCloseable {

  /** The default interface: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default port, 0: a free port chosen by the system, see {@link #port()}. */
  public static final int DEFAULT_PORT = 0;

  /** The default number of users seeded. */
  public static final int DEFAULT_USERS = 5_000;

  /** The default {@link java.util.Random} seed of the seed users. */
  public static final long DEFAULT_SEED = 42L;

  /** The default size of the database connection pool. */
  public static final int DEFAULT_MAX_CONNECTIONS = 8;

  /** The most seed users allowed, to keep the in-memory database within a demo's heap. */
  public static final int MAX_USERS = 1_000_000;

  /** Seed users are inserted in transactions of this many rows. */
  static final int SEED_BATCH_SIZE = 500;

  /** Pending TCP connections the server socket queues (a load test opens many at once). */
  static final int ACCEPT_BACKLOG = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(FriendService.class);

  private final String host;
  private final int requestedPort;
  private final int users;
  private final long seed;
  private final int maxConnections;
  private final CountDownLatch seedingGate;
  private final Readiness readiness;

  private final Object lifecycle = new Object();
  private boolean started;
  private boolean closed;
  private HttpServer server;
  private ExecutorService requestExecutor;
  private FriendDatabase database;
  private Thread seeder;

  private FriendService(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.users = builder.users;
    this.seed = builder.seed;
    this.maxConnections = builder.maxConnections;
    this.seedingGate = builder.seedingGate;
    this.readiness = new Readiness(builder.users);
  }

  /** A builder with every default: 127.0.0.1, a free port, 5000 users, seed 42, 8 connections. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the database, starts serving and starts seeding in the background. Returns as soon as
   * the server listens; use {@link #awaitReady(Duration)} or poll {@code /health/ready}.
   *
   * @return this service, for chaining
   * @throws IOException when the database cannot be created or the address cannot be bound
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public FriendService start() throws IOException {
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "the service is closed" : "the service is started already");
      }
      started = true;
      try {
        database = FriendDatabase.createInMemory(maxConnections);
      } catch (SQLException e) {
        throw new IOException("could not create the friend service database: " + e.getMessage(), e);
      }
      try {
        server = HttpServer.create(new InetSocketAddress(host, requestedPort), ACCEPT_BACKLOG);
      } catch (IOException e) {
        closeDatabase();
        throw new IOException("could not listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
      }
      requestExecutor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(requestExecutor);
      server.createContext("/", new NotFoundHandler());
      server.createContext(UsersHandler.PATH, new UsersHandler(database, readiness));
      server.createContext(FriendsHandler.PATH, new FriendsHandler(database, readiness));
      server.createContext(HealthHandler.LIVE_PATH, HealthHandler.live(readiness));
      server.createContext(HealthHandler.READY_PATH, HealthHandler.ready(readiness));
      server.start();
      seeder = Thread.ofPlatform().name("friend-service-seeder").daemon(true).start(this::seed);
      LOG.info("friend service listening on {}, seeding {} users", baseUri(), users);
      return this;
    }
  }

  /**
   * The port the service listens on (the chosen one when built with port 0).
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    synchronized (lifecycle) {
      if (server == null) {
        throw new IllegalStateException("the service is not started");
      }
      return server.getAddress().getPort();
    }
  }

  /** {@code http://host:port}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  /** True once every seed user is stored: {@code /health/ready} answers 200 from then on. */
  public boolean isReady() {
    return readiness.isReady();
  }

  /**
   * Waits until seeding has finished, at most {@code timeout}.
   *
   * @return true when ready; false when the timeout passed first or seeding failed
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return readiness.await(timeout);
  }

  /** Stops serving, stops seeding, and drops the database. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (!started) {
        return;
      }
      server.stop(0);
      requestExecutor.close();
      seeder.interrupt();
      try {
        seeder.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeDatabase();
      LOG.info("friend service stopped");
    }
  }

  private void closeDatabase() {
    try {
      database.close();
    } catch (SQLException e) {
      LOG.warn("could not shut the friend service database down cleanly: {}", WarnThenDebugLogger.describe(e));
    }
  }

  /** The seeder thread: waits for the gate (tests only), then inserts the users batch by batch. */
  private void seed() {
    long startNanos = System.nanoTime();
    try {
      if (seedingGate != null) {
        seedingGate.await();
      }
      List<NewUser> seedUsers = UserSeeder.generate(seed, users);
      for (int from = 0; from < seedUsers.size(); from += SEED_BATCH_SIZE) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        List<NewUser> batch = seedUsers.subList(from, Math.min(from + SEED_BATCH_SIZE, seedUsers.size()));
        database.insertUsers(batch);
        readiness.addSeeded(batch.size());
      }
      readiness.markReady();
      LOG.info("friend service ready: seeded {} users in {} ms", users, (System.nanoTime() - startNanos) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException | RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        readiness.markFailed("seeding failed: " + WarnThenDebugLogger.describe(e));
        LOG.error("friend service could not seed its database", e);
      }
    }
  }

  /**
   * Runs the service standalone until interrupted (Ctrl-C). Options: {@code --host} (default
   * 127.0.0.1), {@code --port} (default 8080, 0 for a free port), {@code --users} (default 5000),
   * {@code --seed} (default 42). Exit code 2 for bad options, 1 when the service cannot start.
   */
  public static void main(String[] args) {
    System.exit(FriendServiceCommand.run(args));
  }

  /** Options of a {@link FriendService}; every one has a default. Not thread-safe. */
  public static final class Builder {

    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int users = DEFAULT_USERS;
    private long seed = DEFAULT_SEED;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private CountDownLatch seedingGate;

    private Builder() {}

    /** The interface to bind, a host name or address. The default is {@value #DEFAULT_HOST}. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /** The TCP port, 0 to 65535; 0 (the default) picks a free one, see {@link #port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /** How many users to seed, 0 to {@value #MAX_USERS}. The default is {@value #DEFAULT_USERS}. */
    public Builder users(int users) {
      if (users < 0 || users > MAX_USERS) {
        throw new IllegalArgumentException("users must be between 0 and " + MAX_USERS + " but was " + users);
      }
      this.users = users;
      return this;
    }

    /** The {@link java.util.Random} seed of the seed users. The default is {@value #DEFAULT_SEED}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The size of the database connection pool, 1 to 64; more requests than this wait their turn.
     * The default is {@value #DEFAULT_MAX_CONNECTIONS}.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1 || maxConnections > 64) {
        throw new IllegalArgumentException("maxConnections must be between 1 and 64 but was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** Tests only: seeding does not begin before {@code gate} opens, so "not ready" can be observed. */
    Builder seedingGate(CountDownLatch gate) {
      this.seedingGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /** A service with these options, not started yet. */
    public FriendService build() {
      return new FriendService(this);
    }
  }
}
