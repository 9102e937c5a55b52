package dev.stampede.cli;

import dev.stampede.config.ConfigFiles;
import dev.stampede.config.Durations;
import dev.stampede.http.Urls;
import dev.stampede.Http;
import dev.stampede.Response;
import dev.stampede.engine.ResultSink;
import dev.stampede.http.HttpSession;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Waits until a target is ready before any load is sent ({@code --wait-for URL}): polls the URL
 * with GET until it answers 2xx and, when a body pattern is given, its body contains a match; gives
 * up after a timeout ({@code --wait-timeout}, {@link #DEFAULT_TIMEOUT}) and reports the last
 * response it saw, for the one-line message of exit code {@link #EXIT_NOT_READY}. It polls with the
 * engine's own client, so {@code stampede run} can give it the run's (proxy, TLS, timeouts): a
 * target that the load reaches through a proxy is checked through it too.
 */
public final class ReadinessProbe {

  /** How long to wait for readiness unless told. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
  /** Pause between two polls unless told. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  /** The longest one poll may take unless told (a hung target must not eat the whole timeout). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** The exit code of a run whose target never became ready: the test could not run. */
  public static final int EXIT_NOT_READY = 3;
  /** How much of the last body a report keeps. */
  static final int MAX_BODY_CHARS = 200;

  private final URI uri;
  private final Duration timeout;
  private final Duration interval;
  private final Duration requestTimeout;
  /** Polls are no part of any run's statistics. */
  private static final ResultSink UNCOUNTED = (method, name, startEpochMicros, startNanos, endNanos, bytes, status,
      failure) -> {};

  private final Pattern bodyPattern;
  /** The client given to the builder, or {@code null}: then each {@link #await} uses one of its own. */
  private final Http http;

  private ReadinessProbe(Builder b) {
    this.uri = b.uri;
    this.timeout = b.timeout;
    this.interval = b.interval;
    this.requestTimeout = b.requestTimeout;
    this.bodyPattern = b.bodyPattern;
    this.http = b.http;
  }

  /** A client with the engine's defaults and no proxy, for a probe that was given none. */
  private static HttpSession defaultSession() {
    return HttpSession.builder().sink(UNCOUNTED).build();
  }

  /** The sink a client given to {@link Builder#http} should record to, so polls count nowhere. */
  public static ResultSink uncounted() {
    return UNCOUNTED;
  }

  /** A probe of {@code url} (http or https). */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * What the probe saw.
   *
   * @param ready whether the target became ready in time
   * @param attempts how many polls were made
   * @param waited how long it took
   * @param lastStatus the status of the last response received, -1 when no response came at all
   * @param lastBody the start of that response's body, on one line
   * @param lastError the error of the last poll, empty when the last poll got a response
   */
  public record Result(URI uri, boolean ready, int attempts, Duration waited, int lastStatus,
      String lastBody, String lastError) {

    /**
     * One line: {@code http://127.0.0.1:8080/health/ready is ready after 3 attempts (2s)} or
     * {@code http://... was not ready after 3m0s (180 attempts): last response 503 "seeding"}.
     */
    public String describe() {
      if (ready) {
        return Urls.redact(uri.toString()) + " is ready after " + attempts + (attempts == 1 ? " attempt" : " attempts")
            + " (" + Durations.format(waited) + ")";
      }
      // A target that answered 503 and then stopped answering in time is best described by both.
      String last;
      if (lastStatus < 0) {
        last = "last error: " + lastError;
      } else {
        last = "last response " + lastStatus + " \"" + lastBody + "\""
            + (lastError.isEmpty() ? "" : ", then: " + lastError);
      }
      return Urls.redact(uri.toString()) + " was not ready after " + Durations.format(waited) + " (" + attempts
          + (attempts == 1 ? " attempt" : " attempts") + "): " + last;
    }
  }

  /** Polls until ready or the timeout, whichever comes first; restores the interrupt flag. */
  public Result await() {
    if (http != null) {
      return await(http);
    }
    try (HttpSession own = defaultSession()) {
      return await(own);
    }
  }

  private Result await(Http client) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int attempts = 0;
    int lastStatus = -1;
    String lastBody = "";
    String lastError = "";
    while (true) {
      attempts++;
      long remaining = deadline - System.nanoTime();
      Duration perRequest = Duration.ofNanos(Math.max(1_000_000,
          Math.min(requestTimeout.toNanos(), remaining)));
      Response response = client.request("GET", uri.toString(), o -> o.timeout(perRequest).connectTimeout(perRequest));
      if (Thread.currentThread().isInterrupted()) {
        return new Result(uri, false, attempts, Duration.ofNanos(System.nanoTime() - start),
            lastStatus, lastBody, "interrupted");
      }
      if (response.status() > 0) {
        lastStatus = response.status();
        String body = response.text();
        lastBody = ConfigFiles.oneLine(body.length() > MAX_BODY_CHARS
            ? body.substring(0, MAX_BODY_CHARS) + "..." : body);
        // A status outside 2xx is the client's failure too, and says no more than the status.
        lastError = response.failure() == null || lastStatus / 100 != 2 ? "" : ConfigFiles.oneLine(response.failure());
        if (lastStatus / 100 == 2 && response.failure() == null
            && (bodyPattern == null || bodyPattern.matcher(body).find())) {
          return new Result(uri, true, attempts, Duration.ofNanos(System.nanoTime() - start),
              lastStatus, lastBody, "");
        }
      } else {
        lastError = ConfigFiles.oneLine(response.failure() == null ? "no response" : response.failure());
      }
      long now = System.nanoTime();
      if (now + interval.toNanos() >= deadline) {
        return new Result(uri, false, attempts, Duration.ofNanos(now - start), lastStatus,
            lastBody, lastError);
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(uri, false, attempts, Duration.ofNanos(System.nanoTime() - start),
            lastStatus, lastBody, "interrupted");
      }
    }
  }

  /** Options of a probe; only the URL is required. */
  public static final class Builder {
    private final URI uri;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Pattern bodyPattern;
    private Http http;

    private Builder(String url) {
      Objects.requireNonNull(url, "url");
      URI parsed;
      try {
        parsed = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("url must be an http(s) URL but was " + Urls.redact(url), e);
      }
      if (parsed.getScheme() == null || !parsed.getScheme().matches("(?i)https?")
          || parsed.getHost() == null) {
        throw new IllegalArgumentException("url must be an http(s) URL but was " + Urls.redact(url));
      }
      this.uri = parsed;
    }

    /** How long to wait in all, > 0. Default 3 minutes. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** The pause between polls, > 0. Default 1 second. */
    public Builder interval(Duration interval) {
      this.interval = positive(interval, "interval");
      return this;
    }

    /** The longest one poll may take, > 0. Default 5 seconds. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** A regular expression the body must contain a match of (besides a 2xx status). Default none. */
    public Builder bodyPattern(Pattern bodyPattern) {
      this.bodyPattern = bodyPattern;
      return this;
    }

    /**
     * The client to poll with, e.g. the run's ({@code --proxy}, TLS), recording to
     * {@link ReadinessProbe#uncounted()}; the caller closes it. Default: an engine client of its own
     * with the defaults and no proxy, closed after each {@link ReadinessProbe#await}.
     */
    public Builder http(Http http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** The probe. */
    public ReadinessProbe build() {
      return new ReadinessProbe(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be > 0 but was " + d);
      }
      return d;
    }
  }
}
