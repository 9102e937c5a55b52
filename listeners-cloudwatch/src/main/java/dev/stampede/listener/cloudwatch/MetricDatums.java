package dev.stampede.listener.cloudwatch;

import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import dev.stampede.stats.IntervalStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The datums of one step: per endpoint (dimensions {@code Name}, {@code Method}, then the run's
 * base dimensions) and in total (base dimensions only), {@code ResponseTime} (Milliseconds, as
 * {@code Values}/{@code Counts}, see {@link ValuesCompressor}), {@code RequestCount} and
 * {@code FailureCount} (Count), optionally {@code ResponseSize} (Bytes); and {@code UserCount}
 * (Count) when users were seen. Every datum is timestamped with the step's start.
 */
final class MetricDatums {

  static final String METRIC_RESPONSE_TIME = "ResponseTime";
  static final String METRIC_REQUEST_COUNT = "RequestCount";
  static final String METRIC_FAILURE_COUNT = "FailureCount";
  static final String METRIC_RESPONSE_SIZE = "ResponseSize";
  static final String METRIC_USER_COUNT = "UserCount";

  private final List<Dimension> baseDimensions;
  private final int storageResolution;
  private final boolean responseSize;

  /**
   * @param baseDimensions the dimensions every datum carries, in order
   * @param storageResolution 1 (high resolution) or 60 seconds
   * @param responseSize whether to send {@code ResponseSize}
   */
  MetricDatums(List<Dimension> baseDimensions, int storageResolution, boolean responseSize) {
    this.baseDimensions = List.copyOf(baseDimensions);
    this.storageResolution = storageResolution;
    this.responseSize = responseSize;
  }

  /** A dimension whose value is made acceptable to CloudWatch ({@link CloudWatchNaming#dimensionValue}). */
  static Dimension dimension(String name, String value) {
    return Dimension.builder().name(name).value(CloudWatchNaming.dimensionValue(value)).build();
  }

  /**
   * The datums of {@code stats}, with {@code UserCount} when {@code maxUsers >= 0}. An endpoint's
   * {@code RequestCount} stands for its results; no other datum stands for any.
   */
  List<OutgoingDatum> of(IntervalStats stats, int maxUsers) {
    Instant timestamp = Instant.ofEpochMilli(stats.startMillis());
    List<OutgoingDatum> datums = new ArrayList<>();
    for (IntervalStats.Endpoint endpoint : stats.endpoints()) {
      List<Dimension> dimensions = new ArrayList<>(baseDimensions.size() + 2);
      dimensions.add(dimension("Name", endpoint.name()));
      dimensions.add(dimension("Method", endpoint.method()));
      dimensions.addAll(baseDimensions);
      addEndpointDatums(datums, endpoint, dimensions, timestamp, endpoint.count());
    }
    if (stats.total() != null) {
      addEndpointDatums(datums, stats.total(), baseDimensions, timestamp, 0);
    }
    if (maxUsers >= 0) {
      datums.add(new OutgoingDatum(datum(METRIC_USER_COUNT, baseDimensions, timestamp, StandardUnit.COUNT)
          .value((double) maxUsers).build(), 0));
    }
    return datums;
  }

  private void addEndpointDatums(List<OutgoingDatum> datums, IntervalStats.Endpoint endpoint,
      List<Dimension> dimensions, Instant timestamp, long results) {
    ValuesCompressor.Distribution distribution = ValuesCompressor.compress(endpoint.micros());
    List<Double> values = new ArrayList<>(distribution.size());
    List<Double> counts = new ArrayList<>(distribution.size());
    for (int i = 0; i < distribution.size(); i++) {
      values.add(distribution.valuesMillis()[i]);
      counts.add(distribution.counts()[i]);
    }
    datums.add(new OutgoingDatum(datum(METRIC_RESPONSE_TIME, dimensions, timestamp, StandardUnit.MILLISECONDS)
        .values(values).counts(counts).build(), 0));
    datums.add(new OutgoingDatum(datum(METRIC_REQUEST_COUNT, dimensions, timestamp, StandardUnit.COUNT)
        .value((double) endpoint.count()).build(), results));
    datums.add(new OutgoingDatum(datum(METRIC_FAILURE_COUNT, dimensions, timestamp, StandardUnit.COUNT)
        .value((double) endpoint.failures()).build(), 0));
    if (responseSize) {
      datums.add(new OutgoingDatum(datum(METRIC_RESPONSE_SIZE, dimensions, timestamp, StandardUnit.BYTES)
          .value((double) endpoint.bytes()).build(), 0));
    }
  }

  private MetricDatum.Builder datum(String name, List<Dimension> dimensions, Instant timestamp, StandardUnit unit) {
    return MetricDatum.builder().metricName(name).dimensions(dimensions).timestamp(timestamp)
        .unit(unit).storageResolution(storageResolution);
  }
}
