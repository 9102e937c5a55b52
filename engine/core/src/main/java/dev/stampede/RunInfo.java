package dev.stampede;

import java.time.Instant;
import java.util.Map;

/**
 * What a run is, as listeners and reports see it.
 *
 * @param runId the run's id ({@code --run-id}, else generated), used as a label/tag by exporters
 * @param instance this load generator's name (the host name unless set), for multi-generator runs
 * @param host the target base URL, or an empty string when the scenario sets none
 * @param scenario the scenario's name (class or file)
 * @param tags the run's tags ({@code --tag k=v}), immutable
 * @param startedAt when the load started
 */
public record RunInfo(
    String runId,
    String instance,
    String host,
    String scenario,
    Map<String, String> tags,
    Instant startedAt) {

  public RunInfo {
    tags = Map.copyOf(tags);
  }
}
