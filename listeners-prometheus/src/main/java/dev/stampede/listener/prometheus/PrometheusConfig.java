package dev.stampede.listener.prometheus;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.config.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Prometheus listener's configuration: keys under {@code prometheus.} read from the run's
 * {@link ConfigSource} ({@code --config FILE}, {@code STAMPEDE_PROMETHEUS_*}, {@code --set}).
 *
 * <p>Metrics are reached either by scraping the listener's own {@code /metrics} endpoint
 * ({@link #server()}, on by default) or by pushing them to a Pushgateway ({@link #pushgatewayUrl()},
 * off by default), or both.
 */
public interface PrometheusConfig extends BackendConfig {

  /** The largest accepted number of histogram buckets. */
  int MAX_BUCKETS = 64;

  /** The default histogram bucket boundaries, those of the Prometheus client libraries. */
  String DEFAULT_BUCKETS = "5ms,10ms,25ms,50ms,100ms,250ms,500ms,1s,2.5s,5s,10s";

  /** A config reading {@code source}. */
  static PrometheusConfig of(ConfigSource source) {
    return () -> source;
  }

  @Override
  default String prefix() {
    return "prometheus";
  }

  @Override
  default Map<String, Supplier<?>> knownKeys() {
    Map<String, Supplier<?>> keys = new LinkedHashMap<>();
    keys.put("server", this::server);
    keys.put("host", this::host);
    keys.put("port", this::port);
    keys.put("scrape-interval", this::scrapeInterval);
    keys.put("linger", this::linger);
    keys.put("linger-scrapes", this::lingerScrapes);
    keys.put("buckets", this::buckets);
    keys.put("max-endpoints", this::maxEndpoints);
    keys.put("max-errors", this::maxErrors);
    keys.put("pushgateway.url", this::pushgatewayUrl);
    keys.put("pushgateway.job", this::pushgatewayJob);
    keys.put("pushgateway.interval", this::pushgatewayInterval);
    keys.put("pushgateway.retries", this::pushgatewayRetries);
    keys.put("pushgateway.retry-backoff", this::pushgatewayRetryBackoff);
    keys.put("pushgateway.timeout", this::pushgatewayTimeout);
    keys.put("pushgateway.username", this::pushgatewayUsername);
    keys.put("pushgateway.password", this::pushgatewayPassword);
    keys.put("remote-write.url", this::remoteWriteUrl);
    keys.put("remote-write.interval", this::remoteWriteInterval);
    keys.put("remote-write.retries", this::remoteWriteRetries);
    keys.put("remote-write.timeout", this::remoteWriteTimeout);
    keys.put("remote-write.username", this::remoteWriteUsername);
    keys.put("remote-write.password", this::remoteWritePassword);
    keys.put("flush-timeout", this::flushTimeout);
    return keys;
  }

  @Override
  default Set<String> secretKeys() {
    return Set.of("pushgateway.password", "remote-write.password");
  }

  /** Whether to serve {@code /metrics} for Prometheus to scrape. The default is {@code true}. */
  default boolean server() {
    return bool("server", true);
  }

  /** The address the {@code /metrics} server binds to. The default is {@code 127.0.0.1} (loopback only). */
  default String host() {
    return string("host", "127.0.0.1");
  }

  /** The port of the {@code /metrics} server; 0 picks a free one. The default is 9646. */
  default int port() {
    return integer("port", 9646, 0, 65_535);
  }

  /**
   * How often Prometheus scrapes this listener, used only to size the default {@link #linger()}.
   * The default is 10 seconds.
   */
  default Duration scrapeInterval() {
    return duration("scrape-interval", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofHours(1));
  }

  /**
   * How long the {@code /metrics} server keeps serving after the run stopped, so the last scrape
   * sees the final counts. It ends earlier once {@link #lingerScrapes()} scrapes have been served
   * after the stop. The default is two {@link #scrapeInterval() scrape intervals}; 0 stops at once.
   */
  default Duration linger() {
    Duration linger = duration("linger", null);
    if (linger == null) {
      return scrapeInterval().multipliedBy(2);
    }
    return linger;
  }

  /**
   * After how many scrapes served after the stop the linger ends early (one per Prometheus server
   * that scrapes this listener); 0 always waits the whole linger. The default is 1.
   */
  default int lingerScrapes() {
    return integer("linger-scrapes", 1, 0, 100);
  }

  /**
   * The upper bounds of the {@code stampede_request_duration_seconds} histogram buckets, in
   * increasing order, e.g. {@code 50ms,100ms,250ms,1s}; a {@code +Inf} bucket is always added.
   * Use the SLO boundaries of the KPI file so {@code histogram_quantile} is exact where it matters.
   * The default is {@value #DEFAULT_BUCKETS}.
   */
  default List<Duration> buckets() {
    String text = string("buckets", DEFAULT_BUCKETS);
    List<Duration> buckets = new ArrayList<>();
    for (String part : text.split(",")) {
      Duration bucket;
      try {
        bucket = Durations.parse(part);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(describe("buckets", text) + " must be a comma-separated list of durations like "
            + "5ms,100ms,1s, but '" + part.trim() + "' " + e.getMessage());
      }
      if (bucket.isZero()) {
        throw new ConfigException(describe("buckets", text) + " must hold durations > 0");
      }
      if (!buckets.isEmpty() && bucket.compareTo(buckets.get(buckets.size() - 1)) <= 0) {
        throw new ConfigException(describe("buckets", text) + " must be in strictly increasing order");
      }
      buckets.add(bucket);
    }
    if (buckets.size() > MAX_BUCKETS) {
      throw new ConfigException(describe("buckets", text) + " must have at most " + MAX_BUCKETS + " buckets");
    }
    return List.copyOf(buckets);
  }

  /**
   * How many distinct endpoints (method and name) get their own series; results of further
   * endpoints are counted under {@code name="other"}, with one warning. The default is 200.
   */
  default int maxEndpoints() {
    return integer("max-endpoints", 200, 1, 100_000);
  }

  /**
   * How many distinct {@code error} label values {@code stampede_failures_total} keeps; further
   * errors are counted under {@code error="other"}. The default is 50.
   */
  default int maxErrors() {
    return integer("max-errors", 50, 1, 10_000);
  }

  /**
   * The Pushgateway to push to, e.g. {@code http://127.0.0.1:9091}, or {@code null} (the default)
   * not to push. Credentials go in {@link #pushgatewayUsername()} and {@link #pushgatewayPassword()},
   * never in the URL.
   */
  default URI pushgatewayUrl() {
    return pushUrl("pushgateway");
  }

  /**
   * The URL of {@code mode}'s {@code .url} key (unset: {@code null}), an http(s) URL with a host,
   * no query and no credentials, which go in {@code mode.username} and {@code mode.password}.
   */
  private URI pushUrl(String mode) {
    String key = mode + ".url";
    String value = raw(key);
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException("prometheus." + key + " must be a URL like http://127.0.0.1:9091");
    }
    if (uri.getRawUserInfo() != null) {
      // The value may hold a password, so this message must not echo it.
      throw new ConfigException("prometheus." + key + " must not contain credentials; "
          + "use prometheus." + mode + ".username and prometheus." + mode + ".password");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
        || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(describe(key, value)
          + " must be an http or https URL with a host and no query, like http://127.0.0.1:9091");
    }
    return uri;
  }

  /** The {@code job} label of pushed metrics. The default is {@code stampede}. */
  default String pushgatewayJob() {
    return string("pushgateway.job", "stampede");
  }

  /** How often to push during the run (at least 1 second); there is always one more push at stop. The default is 10 seconds. */
  default Duration pushgatewayInterval() {
    Duration interval = duration("pushgateway.interval", Duration.ofSeconds(10));
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(describe("pushgateway.interval", raw("pushgateway.interval")) + " must be at least 1s");
    }
    return interval;
  }

  /** How many times a failed push is retried before it counts as failed. The default is 3. */
  default int pushgatewayRetries() {
    return integer("pushgateway.retries", 3, 0, 20);
  }

  /**
   * The wait before the first retry of a push (Pushgateway or remote write); it doubles with each
   * retry, with jitter, up to 16 times this. The default is 500 ms.
   */
  default Duration pushgatewayRetryBackoff() {
    return duration("pushgateway.retry-backoff", Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(1));
  }

  /** The connect and read timeout of one push. The default is 5 seconds. */
  default Duration pushgatewayTimeout() {
    return duration("pushgateway.timeout", Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMinutes(5));
  }

  /** The basic-auth user for the Pushgateway, or {@code null} (the default) for none. */
  default String pushgatewayUsername() {
    return string("pushgateway.username", null);
  }

  /** The basic-auth password for the Pushgateway (a secret), or {@code null} (the default) for none. */
  default String pushgatewayPassword() {
    return string("pushgateway.password", null);
  }

  /**
   * The remote-write endpoint to send to, e.g. {@code http://127.0.0.1:9090/api/v1/write} (Prometheus
   * with {@code --web.enable-remote-write-receiver}, Mimir, Thanos receive, VictoriaMetrics), or
   * {@code null} (the default) not to: for runs that nothing can scrape. Credentials go in
   * {@link #remoteWriteUsername()} and {@link #remoteWritePassword()}, never in the URL.
   */
  default URI remoteWriteUrl() {
    return pushUrl("remote-write");
  }

  /** How often to send during the run (at least 1 second); there is always one more send at stop. The default is 10 seconds. */
  default Duration remoteWriteInterval() {
    return duration("remote-write.interval", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofHours(1));
  }

  /** How many times a failed remote-write request is retried before it counts as failed. The default is 3. */
  default int remoteWriteRetries() {
    return integer("remote-write.retries", 3, 0, 20);
  }

  /** The connect and response timeout of one remote-write request. The default is 5 seconds. */
  default Duration remoteWriteTimeout() {
    return duration("remote-write.timeout", Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMinutes(5));
  }

  /** The basic-auth user for remote write, or {@code null} (the default) for none. */
  default String remoteWriteUsername() {
    return string("remote-write.username", null);
  }

  /** The basic-auth password for remote write (a secret), or {@code null} (the default) for none. */
  default String remoteWritePassword() {
    return string("remote-write.password", null);
  }

  /**
   * How long the stop waits for the last push (Pushgateway, remote write) to be confirmed; what is
   * not confirmed then counts as failed. Keep it below {@code listener.stop-timeout} (15 s). The
   * default is 10 seconds.
   */
  default Duration flushTimeout() {
    return duration("flush-timeout", Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofHours(1));
  }

  /**
   * Checks every key, rejects unknown keys under {@code prometheus.}, and checks that the keys
   * make sense together.
   *
   * @throws ConfigException listing every problem
   */
  @Override
  default void validate() {
    // A set: linger() reads scrape-interval, so a bad scrape interval would otherwise be reported twice.
    Set<String> problems = new LinkedHashSet<>();
    try {
      BackendConfig.super.validate();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    boolean serverOk = problems.stream().noneMatch(p -> p.startsWith("prometheus.server"));
    boolean urlsOk = problems.stream().noneMatch(p -> p.startsWith("prometheus.pushgateway.url")
        || p.startsWith("prometheus.remote-write.url"));
    if (serverOk && urlsOk && !server() && pushgatewayUrl() == null && remoteWriteUrl() == null) {
      problems.add("prometheus.server=false needs prometheus.pushgateway.url or prometheus.remote-write.url,"
          + " or nothing is exported");
    }
    for (String mode : List.of("pushgateway", "remote-write")) {
      if ((raw(mode + ".username") == null) != (raw(mode + ".password") == null)) {
        problems.add("prometheus." + mode + ".username and prometheus." + mode + ".password must be set together");
      }
      if (urlsOk && raw(mode + ".url") == null && raw(mode + ".username") != null) {
        problems.add("prometheus." + mode + ".username is set but prometheus." + mode + ".url is not");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(List.copyOf(problems));
    }
  }
}
