package dev.stampede.listener.cloudwatch;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The configuration of the CloudWatch listener: every key under {@code cloudwatch.}, read from the
 * run's {@link ConfigSource} (config file, {@code STAMPEDE_CLOUDWATCH_*} environment variables,
 * {@code --set}). Credentials are never configured here: they come from the AWS SDK's default
 * chain, or from the named {@link #profile()}.
 */
public interface CloudWatchConfig extends BackendConfig {

  /**
   * The most datums one PutMetricData call may carry.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
   */
  int MAX_DATUMS_PER_REQUEST = 1000;

  /**
   * The most dimensions one metric may have.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
   */
  int MAX_DIMENSIONS = 30;

  /**
   * Namespace rules: 1 to 255 characters from this set, not starting with {@code AWS/}.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace
   */
  int MAX_NAMESPACE_LENGTH = 255;

  /** The characters a namespace may contain (see {@link #MAX_NAMESPACE_LENGTH}). */
  Pattern NAMESPACE_CHARACTERS = Pattern.compile("[0-9A-Za-z.\\-_/#: ]+");

  /**
   * Dimension names: 1 to 255 printable ASCII characters, not starting with a colon.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
   */
  Pattern DIMENSION_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e][\\x20-\\x7e]{0,254}");

  /** Dimensions the listener sets itself; constant dimensions may not reuse these names. */
  List<String> RESERVED_DIMENSIONS = List.of("Name", "Method", "RunId", "Service", "Environment");

  /** The key the engine sets to the absolute path of {@code --kpi FILE}; absent without it. */
  String KPI_FILE_KEY = "kpi.file";

  /** A config reading {@code source}. */
  static CloudWatchConfig of(ConfigSource source) {
    Objects.requireNonNull(source, "source");
    return () -> source;
  }

  @Override
  default String prefix() {
    return "cloudwatch";
  }

  @Override
  default Map<String, Supplier<?>> knownKeys() {
    Map<String, Supplier<?>> keys = new LinkedHashMap<>();
    keys.put("namespace", this::namespace);
    keys.put("service", this::service);
    keys.put("environment", this::environment);
    keys.put("step", this::step);
    keys.put("batch-size", this::batchSize);
    keys.put("storage-resolution", this::storageResolution);
    keys.put("dimensions", this::dimensions);
    keys.put("run-id-dimension", this::runIdDimension);
    keys.put("response-size", this::responseSize);
    keys.put("region", this::region);
    keys.put("profile", this::profile);
    keys.put("endpoint", this::endpoint);
    keys.put("flush-timeout", this::flushTimeout);
    keys.put("max-attempts", this::maxAttempts);
    keys.put("price-per-1000-requests", this::pricePer1000Requests);
    keys.put("max-endpoints", this::maxEndpoints);
    keys.put("dashboard", this::dashboard);
    keys.put("alarms", this::alarms);
    return Collections.unmodifiableMap(keys);
  }

  /** Every known key is checked, and also that the dimensions fit the API's limit of 30. */
  @Override
  default void validate() {
    List<String> problems = new ArrayList<>();
    try {
      BackendConfig.super.validate();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    try {
      int used = dimensions().size() + 2 + (runIdDimension() ? 1 : 0)
          + (service().isPresent() ? 1 : 0) + (environment().isPresent() ? 1 : 0);
      if (used > MAX_DIMENSIONS) {
        problems.add("cloudwatch.dimensions: a metric may have at most " + MAX_DIMENSIONS
            + " dimensions but these settings give " + used);
      }
    } catch (ConfigException e) {
      // Already reported by the key's own check above.
    }
    try {
      if (alarms() && kpiFile().isEmpty()) {
        problems.add("cloudwatch.alarms=true needs --kpi FILE (the alarms mirror its KPIs)");
      }
    } catch (ConfigException e) {
      // Already reported by the key's own check above.
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /**
   * The CloudWatch namespace. The default is {@code {environment}/{service}/loadtests}, leaving out
   * what is unset, so {@code loadtests} when neither is set.
   */
  default String namespace() {
    String value = raw("namespace");
    if (value == null) {
      List<String> parts = new ArrayList<>();
      environment().ifPresent(parts::add);
      service().ifPresent(parts::add);
      parts.add("loadtests");
      value = String.join("/", parts);
    }
    if (value.length() > MAX_NAMESPACE_LENGTH || !NAMESPACE_CHARACTERS.matcher(value).matches()
        || value.startsWith("AWS/") || value.startsWith(":")) {
      throw new ConfigException(describe("namespace", value) + " must be 1 to " + MAX_NAMESPACE_LENGTH
          + " characters from 0-9 A-Z a-z . - _ / # : and space, not starting with AWS/ or a colon");
    }
    return value;
  }

  /** The service under test; sent as dimension {@code Service} when set. The default is unset. */
  default Optional<String> service() {
    return Optional.ofNullable(raw("service"));
  }

  /** The environment under test; sent as dimension {@code Environment} when set. The default is unset. */
  default Optional<String> environment() {
    return Optional.ofNullable(raw("environment"));
  }

  /** How often aggregated datums are sent. The default is 10 seconds; 1 second to 1 hour. */
  default Duration step() {
    Duration step = duration("step", Duration.ofSeconds(10));
    if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException(describe("step", raw("step")) + " must be between 1s and 1h");
    }
    return step;
  }

  /**
   * The most datums per PutMetricData call, 1 to {@value #MAX_DATUMS_PER_REQUEST}. The default is
   * {@value #MAX_DATUMS_PER_REQUEST}, the API's current limit; 20 is the classic limit.
   */
  default int batchSize() {
    return integer("batch-size", MAX_DATUMS_PER_REQUEST, 1, MAX_DATUMS_PER_REQUEST);
  }

  /**
   * The storage resolution in seconds, 1 (high resolution) or 60. The default ({@code auto}) is 1
   * when the {@link #step()} is under 60 seconds, else 60.
   */
  default int storageResolution() {
    String choice = choice("storage-resolution", "auto", "auto", "1", "60");
    return switch (choice) {
      case "1" -> 1;
      case "60" -> 60;
      default -> step().compareTo(Duration.ofSeconds(60)) < 0 ? 1 : 60;
    };
  }

  /**
   * Constant dimensions added to every datum, as {@code Name=value,Name=value}. The default is none.
   * Names may not be one of {@link #RESERVED_DIMENSIONS}.
   */
  default Map<String, String> dimensions() {
    String value = raw("dimensions");
    Map<String, String> dimensions = new LinkedHashMap<>();
    if (value == null) {
      return dimensions;
    }
    for (String pair : value.split(",")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? "" : pair.substring(0, eq).trim();
      String dimensionValue = eq < 0 ? "" : pair.substring(eq + 1).trim();
      if (name.isEmpty() || dimensionValue.isEmpty()) {
        throw new ConfigException(describe("dimensions", value) + " must be Name=value pairs separated by commas");
      }
      if (!DIMENSION_NAME.matcher(name).matches()) {
        throw new ConfigException(describe("dimensions", value) + ": dimension name " + name
            + " must be 1 to 255 printable ASCII characters, not starting with a colon");
      }
      if (RESERVED_DIMENSIONS.contains(name)) {
        throw new ConfigException(describe("dimensions", value) + " may not set " + name
            + ", which the listener sets itself (reserved: " + String.join(", ", RESERVED_DIMENSIONS) + ")");
      }
      if (dimensions.put(name, dimensionValue) != null) {
        throw new ConfigException(describe("dimensions", value) + " names " + name + " twice");
      }
    }
    return dimensions;
  }

  /**
   * Whether to add dimension {@code RunId}. The default is {@code false}: every run then creates new
   * custom metrics, each billed, so enable it only when runs must be told apart in CloudWatch.
   */
  default boolean runIdDimension() {
    return bool("run-id-dimension", false);
  }

  /** Whether to send {@code ResponseSize} (bytes received per interval). The default is {@code false}. */
  default boolean responseSize() {
    return bool("response-size", false);
  }

  /** The AWS region, e.g. {@code eu-west-1}. The default is the SDK's region chain. */
  default Optional<String> region() {
    String value = raw("region");
    if (value != null && !value.matches("[a-z0-9-]+")) {
      throw new ConfigException(describe("region", value) + " must be a region name such as eu-west-1");
    }
    return Optional.ofNullable(value);
  }

  /** The named profile of the shared AWS config files. The default is the SDK's credentials chain. */
  default Optional<String> profile() {
    return Optional.ofNullable(raw("profile"));
  }

  /** The endpoint URL, e.g. for a VPC endpoint or a test double. The default is the region's endpoint. */
  default Optional<URI> endpoint() {
    return httpUrl("endpoint", "https://monitoring.eu-west-1.amazonaws.com");
  }

  /**
   * How long stop waits for the last datums to be delivered, retries included; what is still
   * undelivered then is counted as failed. The default is 10 seconds, below the engine's
   * {@code listener.stop-timeout} of 15 seconds.
   */
  default Duration flushTimeout() {
    Duration timeout = duration("flush-timeout", Duration.ofSeconds(10));
    if (timeout.isZero()) {
      throw new ConfigException(describe("flush-timeout", raw("flush-timeout")) + " must be > 0");
    }
    return timeout;
  }

  /**
   * Attempts per PutMetricData call, the first included, when CloudWatch throttles, answers 5xx or
   * cannot be reached; 1 to 20. Retries back off exponentially with jitter. The default is 5.
   */
  default int maxAttempts() {
    return integer("max-attempts", 5, 1, 20);
  }

  /**
   * The price in US dollars of 1,000 PutMetricData requests, for the cost estimate in the report.
   * The default is 0.01 (us-east-1 list price, 2025).
   */
  default double pricePer1000Requests() {
    return decimal("price-per-1000-requests", 0.01, 0);
  }

  /**
   * How many distinct endpoints get their own metrics; the rest are folded into {@code other}, so a
   * scenario that forgets to group URLs cannot create thousands of billed metrics. The default is 100.
   */
  default int maxEndpoints() {
    return integer("max-endpoints", 100, 1, 10_000);
  }

  /**
   * The name of a CloudWatch dashboard to create or update at start (requests, failures,
   * p50/p95/p99, users for the namespace). The default is unset: no dashboard.
   */
  default Optional<String> dashboard() {
    String value = raw("dashboard");
    if (value != null && !value.matches("[A-Za-z0-9_-]{1,255}")) {
      throw new ConfigException(describe("dashboard", value)
          + " must be 1 to 255 characters from A-Z a-z 0-9 - _");
    }
    return Optional.ofNullable(value);
  }

  /**
   * Whether to create or update one CloudWatch alarm per KPI of the run's KPI file at start, on
   * the metrics this listener publishes (see the README); needs {@code --kpi FILE} and the
   * IAM permission {@code cloudwatch:PutMetricAlarm}. Each alarm is billed per month. The default
   * is {@code false}.
   */
  default boolean alarms() {
    return bool("alarms", false);
  }

  /**
   * The KPI file of the run, {@value #KPI_FILE_KEY} as set by the engine from {@code --kpi}, or
   * empty when the run has none.
   */
  default Optional<java.nio.file.Path> kpiFile() {
    String value = source().get(KPI_FILE_KEY);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(java.nio.file.Path.of(value.trim()));
  }
}
