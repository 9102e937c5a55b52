package dev.stampede.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
import dev.stampede.Listener;
import dev.stampede.Percentiles;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.bus.ResultBus;
import dev.stampede.stats.TickInterval;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The tests every listener module passes, in the manner of Micrometer's
 * {@code MeterRegistryCompatibilityKit}: extend it, create the listener against a real or fake
 * backend, and say how many requests and failures that backend recorded for a run.
 *
 * <p>Each test drives the listener through a real {@link ResultBus}, so it also proves the
 * listener works from the bus's thread, is flushed on stop, and reports no loss when there was none.
 */
public abstract class ListenerCompatibilityKit {

  /** Names that break naive escaping in every text protocol. */
  protected static final List<String> HOSTILE_NAMES = List.of(
      "/users/[id]", "/a b,c=d", "/quote\"d", "/back\\slash", "/new\nline", "/unicodé-名前-✓", "/{tag}=x;y");

  /** A listener configured for the backend under test; a new one per call. */
  protected abstract Listener createListener();

  /**
   * The number of requests the backend recorded for {@code runId}, summed over every endpoint
   * (not counting any total row), after {@link Listener#onStop} returned.
   */
  protected abstract long backendRequestCount(String runId) throws Exception;

  /** The number of failed requests the backend recorded for {@code runId}. */
  protected abstract long backendFailureCount(String runId) throws Exception;

  /**
   * A listener that delivers to {@code url}, a loopback socket that accepts connections and never
   * answers, with timeouts short enough that its own flush timeout (a few seconds at most) ends
   * its stop; or {@code null} for a listener that does not push (the test is then skipped).
   */
  protected Listener createListenerForSilentBackend(String url) {
    return null;
  }

  /** A run with a fresh id and the tags {@code env=test}. */
  protected RunInfo newRun() {
    return new RunInfo("kit-" + UUID.randomUUID().toString().substring(0, 8), "kit-host",
        "http://127.0.0.1:1", "kit", Map.of("env", "test"), Instant.now());
  }

  /** A result for {@code name}, failed when {@code failure} is not null. */
  protected static RequestResult result(RunInfo run, String method, String name, long micros, String failure) {
    long start = System.currentTimeMillis() * 1000;
    return new RequestResult(start, method, name, micros * 1000, 128, failure == null ? 200 : 500,
        failure, run.tags());
  }

  /** A summary good enough for {@link Listener#onStop}: listeners must not depend on its numbers. */
  protected static Summary summary(RunInfo run, long count, long failures) {
    double[] zeros = new double[Percentiles.REPORTED.length];
    EndpointStats total = new EndpointStats("", EndpointStats.TOTAL_NAME, count, failures, 0, 0, 0, 0, 0, 0, 0,
        new Percentiles(zeros));
    return new Summary(run, run.startedAt(), Duration.ofSeconds(1), 1, List.of(), total, List.of(), 0);
  }

  private ListenerDelivery runThroughBus(RunInfo run, List<List<RequestResult>> waves, long count, long failures) {
    Counting listener = new Counting(createListener());
    ResultBus bus = ResultBus.builder().listener("under-test", listener).batchSize(100)
        .stopTimeout(Duration.ofSeconds(60)).build();
    bus.start(run);
    EngineFeed feed = new EngineFeed(bus);
    int users = 1;
    long published = 0;
    for (List<RequestResult> wave : waves) {
      for (RequestResult result : wave) {
        feed.record(result);
      }
      published += wave.size();
      feed.tick(users++);
      // Each wave reaches the listener, with its tick, before the next is published, as a run's
      // seconds do: the listener sees results, then a tick, then more results.
      long expectedResults = published;
      int expectedTicks = users - 1;
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> listener.results.get() >= expectedResults && listener.ticks.get() >= expectedTicks);
    }
    List<ListenerDelivery> deliveries = bus.stop(summary(run, count, failures));
    assertThat(deliveries).hasSize(1);
    return deliveries.get(0);
  }

  /** The listener under test, counting what the bus handed it, so the kit can wait for it. */
  private static final class Counting implements Listener {
    private final Listener delegate;
    private final AtomicLong results = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();

    Counting(Listener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(RunInfo run) {
      delegate.onStart(run);
    }

    @Override
    public void onResults(List<RequestResult> batch) {
      try {
        delegate.onResults(batch);
      } finally {
        results.addAndGet(batch.size());
      }
    }

    @Override
    public Feed feed() {
      return delegate.feed();
    }

    @Override
    public void onInterval(TickInterval interval) {
      try {
        delegate.onInterval(interval);
      } finally {
        results.addAndGet(interval.count());
      }
    }

    @Override
    public void onTick(Snapshot snapshot) {
      try {
        delegate.onTick(snapshot);
      } finally {
        ticks.incrementAndGet();
      }
    }

    @Override
    public void onStop(Summary summary) {
      delegate.onStop(summary);
    }

    @Override
    public ExportReport report() {
      return delegate.report();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  public void deliversEveryResultExactlyOnce() throws Exception {
    RunInfo run = newRun();
    List<RequestResult> wave1 = new java.util.ArrayList<>();
    List<RequestResult> wave2 = new java.util.ArrayList<>();
    long failures = 0;
    for (int i = 0; i < 3_000; i++) {
      String failure = i % 10 == 0 ? "HTTP 500" : null;
      failures += failure == null ? 0 : 1;
      String name = "/endpoint/" + (i % 5);
      (i < 1_500 ? wave1 : wave2).add(result(run, i % 3 == 0 ? "POST" : "GET", name, 500 + i, failure));
    }
    ListenerDelivery delivery = runThroughBus(run, List.of(wave1, wave2), 3_000, failures);

    assertThat(delivery.dropped()).isZero();
    assertThat(delivery.failed()).isZero();
    assertThat(delivery.accepted()).isEqualTo(3_000);
    assertThat(backendRequestCount(run.runId())).isEqualTo(3_000);
    assertThat(backendFailureCount(run.runId())).isEqualTo(failures);
  }

  @Test
  public void flushesRemainingResultsOnStop() throws Exception {
    RunInfo run = newRun();
    List<RequestResult> wave = List.of(
        result(run, "GET", "/late", 1_000, null),
        result(run, "GET", "/late", 2_000, "connection reset"),
        result(run, "custom", "db-query", 3_000, null));
    ListenerDelivery delivery = runThroughBus(run, List.of(wave), 3, 1);

    assertThat(delivery.failed()).isZero();
    assertThat(backendRequestCount(run.runId())).isEqualTo(3);
    assertThat(backendFailureCount(run.runId())).isEqualTo(1);
  }

  @Test
  public void keepsHostileEndpointNamesApartAndCounted() throws Exception {
    RunInfo run = newRun();
    List<RequestResult> wave = new java.util.ArrayList<>();
    for (String name : HOSTILE_NAMES) {
      wave.add(result(run, "GET", name, 1_500, null));
      wave.add(result(run, "GET", name, 2_500, "HTTP 503"));
    }
    ListenerDelivery delivery = runThroughBus(run, List.of(wave), wave.size(), HOSTILE_NAMES.size());

    assertThat(delivery.failed()).isZero();
    assertThat(backendRequestCount(run.runId())).isEqualTo(wave.size());
    assertThat(backendFailureCount(run.runId())).isEqualTo(HOSTILE_NAMES.size());
  }

  @Test
  public void countsNothingAsDeliveredToABackendThatNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
      Listener listener = createListenerForSilentBackend("http://127.0.0.1:" + silent.getLocalPort());
      Assumptions.assumeTrue(listener != null, "this listener does not push");
      RunInfo run = newRun();
      ResultBus bus = ResultBus.builder().listener("silent", listener).batchSize(100)
          .stopTimeout(Duration.ofSeconds(60)).build();
      bus.start(run);
      EngineFeed feed = new EngineFeed(bus);
      for (int i = 0; i < 100; i++) {
        feed.record(result(run, "GET", "/silent", 1_000, null));
      }
      feed.tick(1);
      ListenerDelivery delivery = bus.stop(summary(run, 100, 0)).get(0);

      // The listener's own flush timeout ended its stop: the bus did not have to give up on it.
      assertThat(delivery.gaveUp()).isFalse();
      assertThat(delivery.accepted()).isEqualTo(100);
      assertThat(delivery.delivered()).isZero();
      assertThat(delivery.failed()).isEqualTo(100);
    }
  }

  @Test
  public void stopsCleanlyAfterARunWithNoResults() throws Exception {
    RunInfo run = newRun();
    ListenerDelivery delivery = runThroughBus(run, List.of(List.of()), 0, 0);

    assertThat(delivery.accepted()).isZero();
    assertThat(delivery.failed()).isZero();
    assertThat(backendRequestCount(run.runId())).isZero();
  }
}
