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
    return keys;
  }

  @Override
  default Set<String> secretKeys() {
    return Set.of("pushgateway.password");
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
    return positive("scrape-interval", Duration.ofSeconds(10));
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
    String value = raw("pushgateway.url");
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException("prometheus.pushgateway.url must be a URL like http://127.0.0.1:9091");
    }
    if (uri.getRawUserInfo() != null) {
      // The value may hold a password, so this message must not echo it.
      throw new ConfigException("prometheus.pushgateway.url must not contain credentials; "
          + "use prometheus.pushgateway.username and prometheus.pushgateway.password");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
        || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(describe("pushgateway.url", value)
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

  /** The wait before the first retry; the n-th retry waits n times as long. The default is 500 ms. */
  default Duration pushgatewayRetryBackoff() {
    return duration("pushgateway.retry-backoff", Duration.ofMillis(500));
  }

  /** The connect and read timeout of one push. The default is 5 seconds. */
  default Duration pushgatewayTimeout() {
    return positive("pushgateway.timeout", Duration.ofSeconds(5));
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
    boolean urlOk = problems.stream().noneMatch(p -> p.startsWith("prometheus.pushgateway.url"));
    if (serverOk && urlOk && !server() && pushgatewayUrl() == null) {
      problems.add("prometheus.server=false needs prometheus.pushgateway.url, or nothing is exported");
    }
    if ((raw("pushgateway.username") == null) != (raw("pushgateway.password") == null)) {
      problems.add("prometheus.pushgateway.username and prometheus.pushgateway.password must be set together");
    }
    if (urlOk && pushgatewayUrl() == null && raw("pushgateway.username") != null) {
      problems.add("prometheus.pushgateway.username is set but prometheus.pushgateway.url is not");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(List.copyOf(problems));
    }
  }

  private Duration positive(String key, Duration defaultValue) {
    Duration value = duration(key, defaultValue);
    if (value.isZero()) {
      throw new ConfigException(describe(key, raw(key)) + " must be > 0");
    }
    return value;
  }
}
