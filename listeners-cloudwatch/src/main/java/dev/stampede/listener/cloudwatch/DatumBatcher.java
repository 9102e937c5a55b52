package dev.stampede.listener.cloudwatch;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * Splits an interval's datums into PutMetricData calls of at most {@code batchSize} datums and
 * under the API's payload limit, keeping their order.
 *
 * <p>The payload size is estimated per datum from an upper bound of its RPC v2 CBOR encoding, the
 * protocol the SDK speaks to CloudWatch (every key and string with its longest header, every
 * number as a 9-byte double), so a batch the estimate accepts is under the limit before
 * compression. Gzip only makes what travels smaller.
 */
final class DatumBatcher {

  /**
   * The largest PutMetricData request body, less room for the namespace and the envelope.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
   * ("Each PutMetricData request is limited to 1 MB in size for HTTP POST requests.")
   */
  static final int MAX_PAYLOAD_BYTES = 1_048_576 - 16_384;

  /** Bytes of a datum's fixed keys, unit, timestamp, resolution and single value, rounded up. */
  private static final int FIXED_DATUM_BYTES = 192;
  /** Bytes of a dimension's keys and framing, added to its name and value lengths. */
  private static final int DIMENSION_OVERHEAD_BYTES = 32;
  /** Bytes of one number in Values or Counts: at most a CBOR double, 1 header byte and 8 bytes. */
  private static final int NUMBER_BYTES = 9;

  private final int batchSize;

  DatumBatcher(int batchSize) {
    if (batchSize < 1 || batchSize > CloudWatchConfig.MAX_DATUMS_PER_REQUEST) {
      throw new IllegalArgumentException("batchSize must be between 1 and "
          + CloudWatchConfig.MAX_DATUMS_PER_REQUEST + " but was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** The datums in order, cut into batches that each fit one call. */
  List<List<OutgoingDatum>> batches(List<OutgoingDatum> datums) {
    List<List<OutgoingDatum>> batches = new ArrayList<>();
    List<OutgoingDatum> current = new ArrayList<>();
    long currentBytes = 0;
    for (OutgoingDatum datum : datums) {
      int bytes = estimatedBytes(datum.datum());
      if (!current.isEmpty() && (current.size() == batchSize || currentBytes + bytes > MAX_PAYLOAD_BYTES)) {
        batches.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(datum);
      currentBytes += bytes;
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  /** An upper bound of the bytes {@code datum} adds to a request body. */
  static int estimatedBytes(MetricDatum datum) {
    int bytes = FIXED_DATUM_BYTES + datum.metricName().length();
    for (Dimension dimension : datum.dimensions()) {
      bytes += DIMENSION_OVERHEAD_BYTES + dimension.name().length() + dimension.value().length();
    }
    bytes += NUMBER_BYTES * (datum.values().size() + datum.counts().size());
    return bytes;
  }

  /**
   * One datum and the number of results it stands for: an endpoint's {@code RequestCount} stands for
   * its requests, so losing it loses them; other datums stand for none.
   */
  record OutgoingDatum(MetricDatum datum, long results) {}
}
