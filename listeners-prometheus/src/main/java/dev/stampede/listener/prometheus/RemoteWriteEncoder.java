package dev.stampede.listener.prometheus;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a registry's state as a Prometheus remote-write 1.0 {@code WriteRequest}: protobuf
 * (protobuf-java's {@link CodedOutputStream}), then snappy block compression (aircompressor).
 *
 * <p>Counters become {@code name_total} samples, gauges plain samples, summaries {@code _count} and
 * {@code _sum}, and histograms native histograms (their exponential buckets as spans and deltas), so
 * that {@code histogram_quantile(0.99, sum(rate(...)))} over the series of every generator is a
 * quantile of the merged distribution. Every series gets {@code job} and {@code instance}, which a
 * scrape would have added.
 *
 * <p>Field numbers are those of prometheus/prompb {@code remote.proto} and {@code types.proto}:
 * https://github.com/prometheus/prometheus/blob/v2.42.0/prompb/types.proto
 */
final class RemoteWriteEncoder {

  // WriteRequest
  private static final int WRITE_REQUEST_TIMESERIES = 1;
  // TimeSeries
  private static final int SERIES_LABELS = 1;
  private static final int SERIES_SAMPLES = 2;
  private static final int SERIES_HISTOGRAMS = 4;
  // Label
  private static final int LABEL_NAME = 1;
  private static final int LABEL_VALUE = 2;
  // Sample
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;
  // Histogram
  private static final int HISTOGRAM_COUNT_INT = 1;
  private static final int HISTOGRAM_SUM = 3;
  private static final int HISTOGRAM_SCHEMA = 4;
  private static final int HISTOGRAM_ZERO_THRESHOLD = 5;
  private static final int HISTOGRAM_ZERO_COUNT_INT = 6;
  private static final int HISTOGRAM_POSITIVE_SPANS = 11;
  private static final int HISTOGRAM_POSITIVE_DELTAS = 12;
  private static final int HISTOGRAM_TIMESTAMP = 15;
  // BucketSpan
  private static final int SPAN_OFFSET = 1;
  private static final int SPAN_LENGTH = 2;

  private final Map<String, String> extraLabels;

  /** @param extraLabels labels every series gets, e.g. {@code job} and {@code instance} */
  RemoteWriteEncoder(Map<String, String> extraLabels) {
    this.extraLabels = Map.copyOf(extraLabels);
  }

  /** The snappy-compressed {@code WriteRequest} for {@code snapshots}, every sample stamped {@code timestampMillis}. */
  byte[] encode(MetricSnapshots snapshots, long timestampMillis) {
    byte[] request = writeRequest(snapshots, timestampMillis);
    SnappyCompressor compressor = new SnappyCompressor();
    byte[] compressed = new byte[compressor.maxCompressedLength(request.length)];
    int length = compressor.compress(request, 0, request.length, compressed, 0, compressed.length);
    return Arrays.copyOf(compressed, length);
  }

  /** The uncompressed {@code WriteRequest}. */
  byte[] writeRequest(MetricSnapshots snapshots, long timestampMillis) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (MetricSnapshot snapshot : snapshots) {
        String name = snapshot.getMetadata().getPrometheusName();
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
          switch (snapshot) {
            case CounterSnapshot counter -> sample(out, name + "_total", point.getLabels(),
                ((CounterSnapshot.CounterDataPointSnapshot) point).getValue(), timestampMillis);
            case GaugeSnapshot gauge -> sample(out, name, point.getLabels(),
                ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue(), timestampMillis);
            case SummarySnapshot summary -> {
              SummarySnapshot.SummaryDataPointSnapshot data = (SummarySnapshot.SummaryDataPointSnapshot) point;
              sample(out, name + "_count", point.getLabels(), data.getCount(), timestampMillis);
              sample(out, name + "_sum", point.getLabels(), data.getSum(), timestampMillis);
            }
            case HistogramSnapshot histogram -> histogram(out, name, (HistogramSnapshot.HistogramDataPointSnapshot) point,
                timestampMillis);
            default -> {
              // Info and state sets: nothing this listener registers.
            }
          }
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void sample(CodedOutputStream out, String name, Labels labels, double value, long timestampMillis)
      throws IOException {
    byte[] labelBytes = labels(name, labels);
    int sampleSize = CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value)
        + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestampMillis);
    int seriesSize = labelBytes.length + CodedOutputStream.computeTagSize(SERIES_SAMPLES)
        + CodedOutputStream.computeUInt32SizeNoTag(sampleSize) + sampleSize;
    out.writeTag(WRITE_REQUEST_TIMESERIES, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(seriesSize);
    out.writeRawBytes(labelBytes);
    out.writeTag(SERIES_SAMPLES, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(sampleSize);
    out.writeDouble(SAMPLE_VALUE, value);
    out.writeInt64(SAMPLE_TIMESTAMP, timestampMillis);
  }

  private void histogram(CodedOutputStream out, String name, HistogramSnapshot.HistogramDataPointSnapshot point,
      long timestampMillis) throws IOException {
    if (!point.hasNativeHistogramData()) {
      return;
    }
    byte[] labelBytes = labels(name, point.getLabels());
    byte[] histogram = nativeHistogram(point, timestampMillis);
    int seriesSize = labelBytes.length + CodedOutputStream.computeTagSize(SERIES_HISTOGRAMS)
        + CodedOutputStream.computeUInt32SizeNoTag(histogram.length) + histogram.length;
    out.writeTag(WRITE_REQUEST_TIMESERIES, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(seriesSize);
    out.writeRawBytes(labelBytes);
    out.writeByteArray(SERIES_HISTOGRAMS, histogram);
  }

  /**
   * The {@code Histogram} message: positive buckets as spans of consecutive indexes, each span's
   * offset counted from the end of the previous one (from index 0 for the first), and counts as
   * deltas from the previous bucket's. Response times are never negative, so there are no negative
   * buckets.
   */
  static byte[] nativeHistogram(HistogramSnapshot.HistogramDataPointSnapshot point, long timestampMillis)
      throws IOException {
    NativeHistogramBuckets buckets = point.getNativeBucketsForPositiveValues();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64(HISTOGRAM_COUNT_INT, point.getCount());
    out.writeDouble(HISTOGRAM_SUM, point.getSum());
    out.writeSInt32(HISTOGRAM_SCHEMA, point.getNativeSchema());
    out.writeDouble(HISTOGRAM_ZERO_THRESHOLD, point.getNativeZeroThreshold());
    out.writeUInt64(HISTOGRAM_ZERO_COUNT_INT, point.getNativeZeroCount());
    int i = 0;
    int previousEnd = 0;
    while (i < buckets.size()) {
      int start = buckets.getBucketIndex(i);
      int end = i + 1;
      while (end < buckets.size() && buckets.getBucketIndex(end) == buckets.getBucketIndex(end - 1) + 1) {
        end++;
      }
      int offset = i == 0 ? start : start - previousEnd;
      int length = end - i;
      int spanSize = CodedOutputStream.computeSInt32Size(SPAN_OFFSET, offset)
          + CodedOutputStream.computeUInt32Size(SPAN_LENGTH, length);
      out.writeTag(HISTOGRAM_POSITIVE_SPANS, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(spanSize);
      out.writeSInt32(SPAN_OFFSET, offset);
      out.writeUInt32(SPAN_LENGTH, length);
      previousEnd = start + length;
      i = end;
    }
    if (buckets.size() > 0) {
      int deltasSize = 0;
      long previous = 0;
      for (int b = 0; b < buckets.size(); b++) {
        deltasSize += CodedOutputStream.computeSInt64SizeNoTag(buckets.getCount(b) - previous);
        previous = buckets.getCount(b);
      }
      out.writeTag(HISTOGRAM_POSITIVE_DELTAS, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(deltasSize);
      previous = 0;
      for (int b = 0; b < buckets.size(); b++) {
        out.writeSInt64NoTag(buckets.getCount(b) - previous);
        previous = buckets.getCount(b);
      }
    }
    out.writeInt64(HISTOGRAM_TIMESTAMP, timestampMillis);
    out.flush();
    return bytes.toByteArray();
  }

  /** The series' labels, {@code __name__} included, sorted by name as Prometheus requires. */
  private byte[] labels(String name, Labels labels) throws IOException {
    TreeMap<String, String> sorted = new TreeMap<>(extraLabels);
    for (int i = 0; i < labels.size(); i++) {
      sorted.put(labels.getPrometheusName(i), labels.getValue(i));
    }
    sorted.put("__name__", name);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (Map.Entry<String, String> label : sorted.entrySet()) {
      int size = CodedOutputStream.computeStringSize(LABEL_NAME, label.getKey())
          + CodedOutputStream.computeStringSize(LABEL_VALUE, label.getValue());
      out.writeTag(SERIES_LABELS, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      out.writeString(LABEL_NAME, label.getKey());
      out.writeString(LABEL_VALUE, label.getValue());
    }
    out.flush();
    return bytes.toByteArray();
  }
}
