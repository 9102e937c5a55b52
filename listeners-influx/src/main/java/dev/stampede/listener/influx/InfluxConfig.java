package dev.stampede.listener.influx;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.config.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The configuration of the InfluxDB listener: keys {@code influx.*}, read from {@code --config},
 * the environment ({@code STAMPEDE_INFLUX_URL}) or {@code --set influx.url=...}.
 *
 * <p>{@link #password()} and {@link #token()} are secrets: they never appear in a message, a log
 * line, {@link Object#toString()} or a report.
 */
public interface InfluxConfig extends BackendConfig {

  /**
   * The most points InfluxDB should receive in one write request.
   * https://docs.influxdata.com/influxdb/v1/guides/write_data/ ("the optimal batch size is 5,000 lines")
   */
  int RECOMMENDED_BATCH_SIZE = 5_000;

  /** How the listener writes: interval statistics, or one point per request. */
  enum Mode {
    /** One point per endpoint per {@link #step()}, plus a {@code name=total} row (the default). */
    AGGREGATE,
    /** One point per request; for small tests that want every sample. */
    RAW
  }

  /** A configuration read from {@code source}; call {@link #validate()} before use. */
  static InfluxConfig from(ConfigSource source) {
    return new SourceBackedInfluxConfig(source);
  }

  @Override
  default String prefix() {
    return "influx";
  }

  @Override
  default Set<String> secretKeys() {
    return Set.of("password", "token");
  }

  @Override
  default Map<String, Supplier<?>> knownKeys() {
    Map<String, Supplier<?>> keys = new LinkedHashMap<>();
    keys.put("url", this::url);
    keys.put("db", this::db);
    keys.put("retention-policy", this::retentionPolicy);
    keys.put("user", this::user);
    keys.put("password", this::password);
    keys.put("token", this::token);
    keys.put("create-database", this::createDatabase);
    keys.put("step", this::step);
    keys.put("mode", this::mode);
    keys.put("gzip", this::gzip);
    keys.put("batch-size", this::batchSize);
    keys.put("buffer-size", this::bufferSize);
    keys.put("timeout", this::timeout);
    keys.put("retry-backoff", this::retryBackoff);
    keys.put("retry-max-backoff", this::retryMaxBackoff);
    keys.put("flush-timeout", this::flushTimeout);
    keys.put("max-endpoints", this::maxEndpoints);
    return keys;
  }

  /**
   * The base URL of InfluxDB's HTTP API, {@code http} or {@code https}, without credentials. The
   * default is {@code http://127.0.0.1:8086}.
   */
  default String url() {
    String value = string("url", "http://127.0.0.1:8086");
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(describe("url", value) + " must be an http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      // The value is not echoed: it holds a credential.
      throw new ConfigException("influx.url must not contain credentials; set influx.user and influx.password"
          + " (or influx.token) instead");
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw new ConfigException(describe("url", value) + " must be an http or https URL with a host");
    }
    return value;
  }

  /** The database written to. The default is {@code stampede}. */
  default String db() {
    return string("db", "stampede");
  }

  /** The retention policy written to, or {@code null} (the default) for the database's default. */
  default String retentionPolicy() {
    return string("retention-policy", null);
  }

  /** The user for HTTP basic authentication, or {@code null} (the default) for none. */
  default String user() {
    return string("user", null);
  }

  /** The user's password, a secret; {@code null} (the default) when no user is set. */
  default String password() {
    return string("password", null);
  }

  /**
   * An API token sent as {@code Authorization: Token ...} (InfluxDB 2.x/3.x v1-compatibility API), a
   * secret; {@code null} (the default) for none. Not combined with {@link #user()}.
   */
  default String token() {
    return string("token", null);
  }

  /**
   * Whether to issue {@code CREATE DATABASE} before the first write (idempotent; needs admin rights,
   * and a failure is logged, not fatal). The default is {@code true}.
   */
  default boolean createDatabase() {
    return bool("create-database", true);
  }

  /** The length of one aggregation interval, 100 ms to 1 hour. The default is 1 second. */
  default Duration step() {
    Duration step = duration("step", Duration.ofSeconds(1));
    if (step.compareTo(Duration.ofMillis(100)) < 0 || step.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException(describe("step", Durations.format(step)) + " must be between 100ms and 1h");
    }
    return step;
  }

  /** {@code aggregate} (the default) or {@code raw}. */
  default Mode mode() {
    return Mode.valueOf(choice("mode", "aggregate", "aggregate", "raw").toUpperCase(java.util.Locale.ROOT));
  }

  /** Whether write requests are gzip-compressed. The default is {@code true}. */
  default boolean gzip() {
    return bool("gzip", true);
  }

  /**
   * The most points in one write request, 1 to 100,000. The default is 5,000
   * ({@link #RECOMMENDED_BATCH_SIZE}).
   */
  default int batchSize() {
    return integer("batch-size", RECOMMENDED_BATCH_SIZE, 1, 100_000);
  }

  /**
   * The most points held for delivery (waiting or being retried) while InfluxDB is slow or down,
   * 1 to 10,000,000; further points are dropped and counted. The default is 100,000 (about
   * 25 minutes of a 50-endpoint test at the default step).
   */
  default int bufferSize() {
    return integer("buffer-size", 100_000, 1, 10_000_000);
  }

  /** The connect, read and write timeout of one HTTP request, 100 ms to 5 minutes. The default is 10 seconds. */
  default Duration timeout() {
    return duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5));
  }

  /** The wait before the first retry of a failed write; it doubles per attempt. The default is 100 ms. */
  default Duration retryBackoff() {
    return duration("retry-backoff", Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofMinutes(5));
  }

  /** The longest wait between retries. The default is 5 seconds. */
  default Duration retryMaxBackoff() {
    return duration("retry-max-backoff", Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMinutes(10));
  }

  /**
   * How long {@code onStop} waits for buffered points to be delivered; what is still held then is
   * dropped and counted. The default is 10 seconds.
   */
  default Duration flushTimeout() {
    return duration("flush-timeout", Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofHours(1));
  }

  /**
   * How many distinct (method, name) endpoints are kept apart per interval, 1 to 100,000; further
   * ones are written as {@code name=other} to bound series cardinality. The default is 1,000.
   */
  default int maxEndpoints() {
    return integer("max-endpoints", 1_000, 1, 100_000);
  }

  /** Checks every key (see {@link BackendConfig#validate()}) and how they combine; reports every problem. */
  @Override
  default void validate() {
    List<String> problems = new ArrayList<>();
    try {
      BackendConfig.super.validate();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    boolean hasUser = raw("user") != null;
    boolean hasPassword = raw("password") != null;
    boolean hasToken = raw("token") != null;
    if (hasPassword && !hasUser) {
      problems.add("influx.password is set but influx.user is not");
    }
    if (hasUser && !hasPassword) {
      problems.add("influx.user is set but influx.password is not");
    }
    if (hasToken && hasUser) {
      problems.add("influx.token and influx.user are both set; use one way to authenticate");
    }
    if (raw("db") != null && raw("db").contains("\"")) {
      problems.add(describe("db", raw("db")) + " must not contain a double quote");
    }
    try {
      if (retryMaxBackoff().compareTo(retryBackoff()) < 0) {
        problems.add("influx.retry-max-backoff=" + Durations.format(retryMaxBackoff())
            + " must be >= influx.retry-backoff=" + Durations.format(retryBackoff()));
      }
    } catch (ConfigException e) {
      // already reported above
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
