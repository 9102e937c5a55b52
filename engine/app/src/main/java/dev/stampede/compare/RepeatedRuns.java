package dev.stampede.compare;

import dev.stampede.Percentiles;
import dev.stampede.gate.KpiReport;
import dev.stampede.result.RunResultFile;
import dev.stampede.result.RunResultFile.EndpointResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The results of the same test run N times ({@code --repeat N}, or a set of result files given to
 * {@code compare}): the per-endpoint median of each statistic, and whether the runs agree well
 * enough to be trusted.
 *
 * <p>Agreement is measured by the coefficient of variation (sample standard deviation divided by
 * the mean, in percent) of each endpoint's p95 across the runs. When it exceeds the maximum
 * ({@code --max-cv}, {@link #DEFAULT_MAX_CV_PERCENT} by default) for any endpoint or the total, the
 * verdict is "inconclusive: environment too noisy"; what that does to the exit code is a
 * {@link NoisePolicy}. A single run is always conclusive.
 *
 * <p>An endpoint that only some runs reached gets the median over the runs that reached it.
 */
public final class RepeatedRuns {

  /** The default maximum coefficient of variation of p95 across runs, in percent. */
  public static final double DEFAULT_MAX_CV_PERCENT = 15.0;

  private final List<RunResultFile> runs;
  private final double maxCvPercent;
  private final RunResultFile median;
  private final Map<String, Double> p95Cv;

  private RepeatedRuns(List<RunResultFile> runs, double maxCvPercent) {
    this.runs = List.copyOf(runs);
    this.maxCvPercent = maxCvPercent;
    this.median = computeMedian();
    this.p95Cv = computeCv();
  }

  /**
   * Summarizes {@code runs}.
   *
   * @param runs at least one run
   * @param maxCvPercent the largest p95 coefficient of variation (percent, > 0) still conclusive
   */
  public static RepeatedRuns of(List<RunResultFile> runs, double maxCvPercent) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("runs must not be empty");
    }
    if (!(maxCvPercent > 0)) {
      throw new IllegalArgumentException("maxCvPercent must be > 0 but was " + maxCvPercent);
    }
    return new RepeatedRuns(runs, maxCvPercent);
  }

  /** The runs, in the order given. */
  public List<RunResultFile> runs() {
    return runs;
  }

  /**
   * One result whose every statistic is the median across the runs, per endpoint and for the
   * total; its run id lists the runs' ids and its start time is the first run's.
   */
  public RunResultFile median() {
    return median;
  }

  /** The coefficient of variation of p95 (percent) per endpoint key and {@code total}. */
  public Map<String, Double> p95CvPercent() {
    return p95Cv;
  }

  /** Whether every endpoint's p95 varied by at most the maximum coefficient of variation. */
  public boolean conclusive() {
    return noisy().isEmpty();
  }

  /** The endpoints whose p95 varied more than allowed, worst first. */
  public List<String> noisy() {
    return p95Cv.entrySet().stream()
        .filter(e -> e.getValue() > maxCvPercent)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * One line: {@code conclusive: p95 varies by at most 4.2% across 5 runs (max-cv 15%)} or
   * {@code inconclusive: environment too noisy: p95 varies by 31.0% across 5 runs on GET /x
   * (max-cv 15%)}.
   */
  public String verdict() {
    double worst = p95Cv.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    String runsText = runs.size() + (runs.size() == 1 ? " run" : " runs");
    if (conclusive()) {
      return String.format(Locale.ROOT, "conclusive: p95 varies by at most %.1f%% across %s"
          + " (max-cv %s%%)", worst, runsText, number(maxCvPercent));
    }
    List<String> parts = new ArrayList<>();
    for (String key : noisy()) {
      parts.add(String.format(Locale.ROOT, "%.1f%% on %s", p95Cv.get(key), key));
    }
    return "inconclusive: environment too noisy: p95 varies by " + String.join(", ", parts)
        + " across " + runsText + " (max-cv " + number(maxCvPercent) + "%)";
  }

  /**
   * The exit code of a gate judged on these runs: the report's own code when the runs are
   * conclusive; when they are not, 0 under {@link NoisePolicy#WARN} and 1 under
   * {@link NoisePolicy#FAIL}.
   */
  public int exitCode(int conclusiveExitCode, NoisePolicy policy) {
    if (conclusive()) {
      return conclusiveExitCode;
    }
    return policy == NoisePolicy.FAIL ? KpiReport.EXIT_FAILED : KpiReport.EXIT_PASSED;
  }

  static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }

  private RunResultFile computeMedian() {
    Map<String, List<EndpointResult>> byKey = new TreeMap<>();
    for (RunResultFile run : runs) {
      run.endpoints().forEach((key, e) -> byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e));
    }
    Map<String, EndpointResult> endpoints = new LinkedHashMap<>();
    byKey.forEach((key, list) -> endpoints.put(key, medianOf(list)));
    EndpointResult total = medianOf(runs.stream().map(RunResultFile::total).toList());
    String runId = "median of " + runs.size() + ": "
        + String.join(",", runs.stream().map(RunResultFile::runId).toList());
    Instant startedAt = runs.stream().map(RunResultFile::startedAt)
        .min(Comparator.naturalOrder()).orElseThrow();
    return RunResultFile.of(runId, startedAt,
        median(runs, RunResultFile::durationSeconds),
        (int) Math.round(median(runs, RunResultFile::users)),
        endpoints, total, Math.round(median(runs, RunResultFile::droppedIterations)));
  }

  private static EndpointResult medianOf(List<EndpointResult> list) {
    EndpointResult first = list.get(0);
    double[] percentiles = new double[Percentiles.REPORTED.length];
    for (int i = 0; i < percentiles.length; i++) {
      int index = i;
      percentiles[i] = median(list, e -> e.percentiles().values()[index]);
    }
    return EndpointResult.of(first.method(), first.name(),
        Math.round(median(list, EndpointResult::count)),
        Math.round(median(list, EndpointResult::failures)),
        median(list, EndpointResult::rps), median(list, EndpointResult::mean),
        median(list, EndpointResult::min), median(list, EndpointResult::max),
        new Percentiles(percentiles), median(list, EndpointResult::bytesMean));
  }

  /** The median of a statistic, ignoring runs where it is NaN (no request); NaN when all are. */
  static <T> double median(List<T> items, ToDoubleFunction<T> statistic) {
    double[] values = items.stream().mapToDouble(statistic).filter(v -> !Double.isNaN(v)).toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private Map<String, Double> computeCv() {
    Map<String, List<Double>> p95s = new TreeMap<>();
    for (RunResultFile run : runs) {
      run.endpoints().forEach((key, e) -> {
        if (e.count() > 0) {
          p95s.computeIfAbsent(key, k -> new ArrayList<>()).add(e.percentile(95));
        }
      });
      if (run.total().count() > 0) {
        p95s.computeIfAbsent(RunResultFile.TOTAL, k -> new ArrayList<>())
            .add(run.total().percentile(95));
      }
    }
    Map<String, Double> cv = new LinkedHashMap<>();
    for (String key : new TreeSet<>(p95s.keySet())) {
      cv.put(key, coefficientOfVariationPercent(p95s.get(key)));
    }
    return Collections.unmodifiableMap(cv);
  }

  /** Sample standard deviation over mean, in percent; 0 for fewer than two values or a zero mean. */
  static double coefficientOfVariationPercent(List<Double> values) {
    List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).toList();
    if (v.size() < 2) {
      return 0;
    }
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    if (mean == 0) {
      return 0;
    }
    double squares = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
    return 100 * Math.sqrt(squares / (v.size() - 1)) / mean;
  }
}
