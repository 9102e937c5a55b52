package dev.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the JDK's TLS code up to speed before the first user connects, so that a run's first
 * response times measure the server and not our own JIT warm-up.
 *
 * <p>Why: the JDK's elliptic-curve and RSA arithmetic is Java code. In a fresh JVM it runs in the
 * interpreter until the JIT has compiled it, and a TLS 1.3 handshake does several scalar
 * multiplications (key share, ECDHE, the server's signature). Measured (BENCHMARKS.md, "HTTPS"): a
 * fresh JVM's first HTTPS request took about 1.5 s, and 64 users starting together on one carrier
 * thread completed nothing for up to 7 s of a 10 s run, all of it client CPU charged to the
 * server's response times. wrk and h2load use OpenSSL's compiled code and never pay this.
 *
 * <p>What: in-memory handshakes between a client and a server {@link SSLEngine} of this JVM, with
 * a throw-away EC P-256 certificate (in the resources; its key protects nothing), a full and a
 * resumed handshake per round, each followed by application data both ways (AES-GCM): a response
 * of a few records, then {@link #SMALL_EXCHANGES} request-sized exchanges, for {@link #ROUNDS}
 * rounds and more while the rounds still get much faster, within a budget of its own thread's CPU
 * time and a cap on the wall clock. An EC certificate because
 * everything its server side computes (x25519, P-256 scalar multiplication) is code the client runs
 * too; an RSA server would spend the budget on private-key operations that a client never does
 * (verifying an RSA signature is cheap even when cold). No byte leaves the process: the scenario's
 * target sees nothing it did not ask for.
 *
 * <p>It runs once per JVM on a daemon thread, started as early as the caller knows that a target is
 * HTTPS, so it overlaps the rest of the start-up (compiling the scenario, starting listeners).
 * {@code -Dstampede.tls.warmup=false} turns it off.
 */
public final class TlsWarmup {

  /**
   * The most CPU time the warm-up's own thread may spend. CPU time, not wall time: on a machine so
   * busy that this thread gets a sixth of a core, a wall-clock budget of a few seconds ended after 4
   * of the 24 rounds, with the JDK's crypto still in the interpreter, and the run then crawled at a
   * few hundred requests per second over HTTPS while plain HTTP kept its speed (decision 0009).
   */
  public static final Duration CPU_BUDGET = Duration.ofSeconds(5);
  /** The longest the warm-up may take on the wall clock: a starved machine starts late, not never. */
  public static final Duration WALL_CAP = Duration.ofSeconds(20);
  /**
   * Rounds of two handshakes each. The JIT compiles a method once it was called or looped often
   * enough, so warmth comes with a count, not a time; measured by TlsWarmupTest's log and the
   * HTTPS bench: by this count the time per round stopped falling (BENCHMARKS.md, "HTTPS").
   */
  static final int ROUNDS = 24;
  /**
   * Rounds the warm-up may add while it is not warm yet: when the JIT's compiler threads are short
   * of CPU, the optimised code may not be in place after {@link #ROUNDS}.
   */
  static final int MAX_ROUNDS = 3 * ROUNDS;
  /**
   * Warm means the last round took at most this many times the CPU of the fastest round. Compiled
   * code is three to thirty times faster than the interpreter here (a first round of 930 ms of CPU,
   * later ones 36 ms), far more than the round-to-round noise.
   */
  static final double WARM_FACTOR = 2.0;
  /**
   * Request-sized exchanges per connection: 24 rounds of two connections make about 10,000 wraps
   * and as many unwraps, past the JIT's thresholds for its optimising tier.
   */
  static final int SMALL_EXCHANGES = 200;
  private static final Logger LOG = LoggerFactory.getLogger(TlsWarmup.class);
  private static final String HOST = "stampede-tls-warmup.invalid";
  private static final String CERTIFICATE = "tls-warmup-ec.p12";
  private static final char[] STORE_PASSWORD = "warmup".toCharArray();
  private static final AtomicReference<CompletableFuture<Report>> STARTED = new AtomicReference<>();

  private TlsWarmup() {}

  /**
   * What a warm-up did: rounds run, how long on the wall clock, the CPU time of its last and of its
   * fastest round, whether it ended warm (see {@link #WARM_FACTOR}), and why it failed, if it did.
   */
  public record Report(int rounds, Duration took, Duration lastRoundCpu, Duration fastestRoundCpu, boolean warm,
      String failure) {}

  /**
   * Starts the warm-up ({@link #begin}) when {@code baseUrl} is an {@code https} URL; returns at
   * once, with whether it was one.
   */
  public static boolean beginFor(String baseUrl) {
    if (baseUrl == null || !baseUrl.regionMatches(true, 0, "https:", 0, 6)) {
      return false;
    }
    begin();
    return true;
  }

  /**
   * Starts the warm-up on a daemon thread unless it started before or is turned off; returns at once.
   */
  public static void begin() {
    if (!Boolean.parseBoolean(System.getProperty("stampede.tls.warmup", "true"))) {
      return;
    }
    CompletableFuture<Report> future = new CompletableFuture<>();
    if (STARTED.compareAndSet(null, future)) {
      Thread.ofPlatform().daemon().name("stampede-tls-warmup").start(() -> {
        if (TlsClient.usesOpenSsl()) {
          // BoringSSL's crypto is compiled already: loading its library here, before the run, is all
          // there is to warm (decision 0011).
          future.complete(new Report(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, true, null));
          return;
        }
        Report report = run(CPU_BUDGET, WALL_CAP);
        if (!report.warm() || report.took().compareTo(Duration.ofSeconds(5)) > 0) {
          LOG.info("TLS warm-up took {} ms for {} rounds and {}: this machine is short of CPU, so the "
              + "first seconds of the run may measure our own TLS code (use --warmup)", report.took().toMillis(),
              report.rounds(), report.warm() ? "got warm" : "did not get warm");
        } else {
          LOG.debug("TLS warm-up: {}", report);
        }
        future.complete(report);
      });
    }
  }

  /**
   * Waits until a started warm-up is done, at most {@code max}; returns at once when none was
   * started. The caller's run starts either way: waiting is only to keep the first response times
   * free of our own warm-up.
   */
  public static void awaitDone(Duration max) {
    CompletableFuture<Report> future = STARTED.get();
    if (future == null) {
      return;
    }
    try {
      future.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // a partly warm JVM is still a working one
    }
  }

  /**
   * Runs at least {@link #ROUNDS} rounds and, while not warm, up to {@link #MAX_ROUNDS}; fewer when
   * this thread has spent {@code cpuBudget} of CPU time or {@code wallCap} has passed.
   */
  static Report run(Duration cpuBudget, Duration wallCap) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();
    long start = System.nanoTime();
    long wallDeadline = start + wallCap.toNanos();
    long cpuStart = cpuClock ? threads.getCurrentThreadCpuTime() : start;
    int rounds = 0;
    long lastRound = 0;
    long fastestRound = Long.MAX_VALUE;
    try {
      SSLContext client = clientContext();
      SSLContext server = serverContext(CERTIFICATE);
      while (rounds < MAX_ROUNDS && !(rounds >= ROUNDS && warm(lastRound, fastestRound))) {
        long roundStart = cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        if (roundStart - cpuStart >= cpuBudget.toNanos() || System.nanoTime() - wallDeadline >= 0) {
          break;
        }
        int port = rounds + 1; // a new session cache key each round: a full handshake
        connect(client, server, port); // full
        connect(client, server, port); // resumed (a TLS 1.3 PSK with a fresh key share)
        lastRound = (cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - roundStart;
        fastestRound = Math.min(fastestRound, lastRound);
        rounds++;
      }
      return report(rounds, start, lastRound, fastestRound, null);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return report(rounds, start, lastRound, fastestRound, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static boolean warm(long lastRound, long fastestRound) {
    return lastRound > 0 && lastRound <= WARM_FACTOR * fastestRound;
  }

  private static Report report(int rounds, long start, long lastRound, long fastestRound, String failure) {
    return new Report(rounds, Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(lastRound),
        Duration.ofNanos(rounds == 0 ? 0 : fastestRound), rounds >= ROUNDS && warm(lastRound, fastestRound), failure);
  }

  private static SSLContext clientContext() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    KeyStore store = load(CERTIFICATE);
    trusted.setCertificateEntry("warm-up", store.getCertificate(store.aliases().nextElement()));
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static SSLContext serverContext(String resource) throws IOException, GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(load(resource), STORE_PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static KeyStore load(String resource) throws IOException, GeneralSecurityException {
    try (InputStream in = TlsWarmup.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing resource " + resource);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD);
      return store;
    }
  }

  /** One connection in memory: a handshake, then a request and a response, as HTTP/1.1 sends them. */
  private static void connect(SSLContext clientContext, SSLContext serverContext, int port) throws SSLException {
    SSLEngine client = clientContext.createSSLEngine(HOST, port);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(TlsClient.HTTP11);
    client.setSSLParameters(parameters);
    SSLEngine server = serverContext.createSSLEngine();
    server.setUseClientMode(false);
    SSLParameters serverParameters = server.getSSLParameters();
    serverParameters.setApplicationProtocols(TlsClient.HTTP11);
    server.setSSLParameters(serverParameters);

    int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    int application = Math.max(client.getSession().getApplicationBufferSize(),
        server.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
    ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
    ByteBuffer clientIn = ByteBuffer.allocate(application * 2);
    ByteBuffer serverIn = ByteBuffer.allocate(application * 2);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 100 && (busy(client) || busy(server)); step++) {
      shuttle(client, empty, toServer, toClient, clientIn);
      shuttle(server, empty, toClient, toServer, serverIn);
    }
    if (busy(client) || busy(server)) {
      throw new SSLException("the in-memory handshake did not complete");
    }
    // Application data both ways: a response of a few records, then small exchanges as a keep-alive
    // connection makes them. Those are the per-request path (a wrap and an unwrap of a short record),
    // run often enough here that the JIT compiles it fully before the run rather than during it.
    send(client, ByteBuffer.wrap(new byte[200]), toServer);
    receive(server, toServer, serverIn);
    send(server, ByteBuffer.wrap(new byte[40_000]), toClient);
    receive(client, toClient, clientIn);
    byte[] request = new byte[150];
    byte[] response = new byte[180];
    for (int i = 0; i < SMALL_EXCHANGES; i++) {
      send(client, ByteBuffer.wrap(request), toServer);
      receive(server, toServer, serverIn);
      send(server, ByteBuffer.wrap(response), toClient);
      receive(client, toClient, clientIn);
    }
  }

  private static boolean busy(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
  }

  /** Lets {@code engine} wrap what it wants to send into {@code out} and unwrap what waits in {@code in}. */
  private static void shuttle(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer plain)
      throws SSLException {
    while (true) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      } else if (status == HandshakeStatus.NEED_WRAP) {
        engine.wrap(empty, out);
      } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
        in.flip();
        SSLEngineResult result = engine.unwrap(in, plain);
        in.compact();
        plain.clear();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
            || result.bytesConsumed() == 0 && result.getHandshakeStatus() == status) {
          return; // the peer's turn
        }
      } else {
        // Post-handshake messages (a TLS 1.3 NewSessionTicket) wait in `in`: take them now.
        if (in.position() > 0) {
          in.flip();
          engine.unwrap(in, plain);
          in.compact();
          plain.clear();
          if (busy(engine)) {
            continue;
          }
        }
        return;
      }
    }
  }

  private static void send(SSLEngine engine, ByteBuffer data, ByteBuffer out) throws SSLException {
    while (data.hasRemaining()) {
      SSLEngineResult result = engine.wrap(data, out);
      if (result.getStatus() != SSLEngineResult.Status.OK) {
        throw new SSLException("in-memory wrap: " + result.getStatus());
      }
    }
  }

  private static void receive(SSLEngine engine, ByteBuffer in, ByteBuffer plain) throws SSLException {
    in.flip();
    while (in.hasRemaining()) {
      SSLEngineResult result = engine.unwrap(in, plain);
      plain.clear();
      if (result.getStatus() != SSLEngineResult.Status.OK) {
        break;
      }
    }
    in.compact();
  }
}
