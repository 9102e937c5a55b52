package dev.stampede.result;

import dev.stampede.Percentiles;
import dev.stampede.result.RunResultFile.EndpointResult;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Crafted results for tests: every statistic is set on purpose, nothing is random. */
public final class Results {

  private final Map<String, EndpointResult> endpoints = new LinkedHashMap<>();
  private Instant startedAt = Instant.parse("2026-11-23T09:00:00Z");
  private String runId = "test-run";

  /** A result file kept under src/test/resources/result. */
  public static Path resource(String name) {
    try {
      return Path.of(Results.class.getResource("/result/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Results run() {
    return new Results();
  }

  public Results runId(String id) {
    this.runId = id;
    return this;
  }

  public Results startedAt(String iso) {
    this.startedAt = Instant.parse(iso);
    return this;
  }

  public Results endpoint(Endpoint e) {
    EndpointResult r = e.build();
    endpoints.put(r.key(), r);
    return this;
  }

  public RunResultFile build() {
    long count = endpoints.values().stream().mapToLong(EndpointResult::count).sum();
    long failures = endpoints.values().stream().mapToLong(EndpointResult::failures).sum();
    double rps = endpoints.values().stream().mapToDouble(EndpointResult::rps).sum();
    double worst = endpoints.values().stream().mapToDouble(EndpointResult::max).max().orElse(0);
    double[] p = new double[Percentiles.REPORTED.length];
    for (EndpointResult e : endpoints.values()) {
      double[] v = e.percentiles().values();
      for (int i = 0; i < p.length; i++) {
        p[i] = Math.max(p[i], v[i]);
      }
    }
    double mean = endpoints.values().stream()
        .mapToDouble(e -> e.mean() * e.count()).sum() / Math.max(1, count);
    EndpointResult total = EndpointResult.of("", "Aggregated", count, failures, rps, mean,
        endpoints.values().stream().mapToDouble(EndpointResult::min).min().orElse(0), worst,
        new Percentiles(p), 100);
    return RunResultFile.of(runId, startedAt, 60, 10, endpoints, total, 0);
  }

  public static Endpoint ep(String method, String name) {
    return new Endpoint(method, name);
  }

  /** One endpoint; every percentile defaults to the mean until set. */
  public static final class Endpoint {
    private final String method;
    private final String name;
    private long count = 1000;
    private long failures;
    private double rps = 100;
    private double mean = 20;
    private final double[] percentiles = new double[Percentiles.REPORTED.length];

    Endpoint(String method, String name) {
      this.method = method;
      this.name = name;
      Arrays.fill(percentiles, Double.NaN);
    }

    public Endpoint count(long count) {
      this.count = count;
      return this;
    }

    public Endpoint failures(long failures) {
      this.failures = failures;
      return this;
    }

    public Endpoint rps(double rps) {
      this.rps = rps;
      return this;
    }

    public Endpoint mean(double mean) {
      this.mean = mean;
      return this;
    }

    public Endpoint p(double percentile, double millis) {
      for (int i = 0; i < Percentiles.REPORTED.length; i++) {
        if (Percentiles.REPORTED[i] == percentile) {
          percentiles[i] = millis;
          return this;
        }
      }
      throw new IllegalArgumentException("not a reported percentile: " + percentile);
    }

    public EndpointResult build() {
      double[] v = percentiles.clone();
      for (int i = 0; i < v.length; i++) {
        if (Double.isNaN(v[i])) {
          v[i] = mean;
        }
      }
      return EndpointResult.of(method, name, count, failures, rps, mean, Math.min(1, mean),
          v[v.length - 1], new Percentiles(v), 512);
    }
  }
}
