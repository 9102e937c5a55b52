package dev.stampede.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole run's mergeable statistics: every endpoint's {@link EndpointHistogram} and the total's.
 *
 * @param endpoints per endpoint, sorted by name then method
 * @param total all endpoints together
 */
public record RunHistograms(List<EndpointHistogram> endpoints, EndpointHistogram total) {

  /** A run that recorded nothing (and results read from files written before histograms). */
  public static final RunHistograms NONE = new RunHistograms(List.of(), null);

  public RunHistograms {
    endpoints = List.copyOf(endpoints);
  }

  /** Whether there are histograms at all. */
  public boolean present() {
    return total != null;
  }

  /** The exact sum of several runs' statistics (the shards of one distributed run). */
  public static RunHistograms sum(List<RunHistograms> parts) {
    Map<String, EndpointHistogram> byKey = new LinkedHashMap<>();
    EndpointHistogram total = null;
    for (RunHistograms part : parts) {
      Objects.requireNonNull(part.total(), "every part must have histograms");
      for (EndpointHistogram e : part.endpoints()) {
        byKey.merge(e.key(), e, EndpointHistogram::plus);
      }
      total = total == null ? part.total().plus(EndpointHistogram.empty(part.total().method(), part.total().name()))
          : total.plus(part.total());
    }
    List<EndpointHistogram> endpoints = new ArrayList<>(byKey.values());
    endpoints.sort(java.util.Comparator.comparing(EndpointHistogram::name).thenComparing(EndpointHistogram::method));
    return new RunHistograms(endpoints, total);
  }
}
