package dev.stampede.cli;

import dev.stampede.config.ConfigFiles;
import dev.stampede.config.Durations;
import dev.stampede.http.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Waits until a target is ready before any load is sent ({@code --wait-for URL}): polls the URL
 * with GET until it answers 2xx and, when a body pattern is given, its body contains a match; gives
 * up after a timeout ({@code --wait-timeout}, {@link #DEFAULT_TIMEOUT}) and reports the last
 * response it saw, for the one-line message of exit code {@link #EXIT_NOT_READY}.
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
  private final Pattern bodyPattern;
  private final HttpClient client;

  private ReadinessProbe(Builder b) {
    this.uri = b.uri;
    this.timeout = b.timeout;
    this.interval = b.interval;
    this.requestTimeout = b.requestTimeout;
    this.bodyPattern = b.bodyPattern;
    this.client = b.client != null ? b.client
        : HttpClient.newBuilder().connectTimeout(b.requestTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
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
      try {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(uri).timeout(perRequest).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        lastStatus = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        lastBody = ConfigFiles.oneLine(body.length() > MAX_BODY_CHARS
            ? body.substring(0, MAX_BODY_CHARS) + "..." : body);
        lastError = "";
        if (lastStatus / 100 == 2 && (bodyPattern == null || bodyPattern.matcher(body).find())) {
          return new Result(uri, true, attempts, Duration.ofNanos(System.nanoTime() - start),
              lastStatus, lastBody, "");
        }
      } catch (IOException e) {
        lastError = ConfigFiles.oneLine(e.getMessage() == null ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(uri, false, attempts, Duration.ofNanos(System.nanoTime() - start),
            lastStatus, lastBody, "interrupted");
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
    private HttpClient client;

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

    /** The HTTP client to poll with. Default: a new JDK client following redirects. */
    public Builder httpClient(HttpClient client) {
      this.client = client;
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
