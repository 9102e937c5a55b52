package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.listener.cloudwatch.DatumBatcher.OutgoingDatum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

class DatumBatcherTest {

  private static OutgoingDatum datum(int index, int values) {
    List<Double> numbers = new ArrayList<>(Collections.nCopies(values, 1234.5678));
    return new OutgoingDatum(MetricDatum.builder().metricName("ResponseTime")
        .dimensions(Dimension.builder().name("Name").value("/endpoint/" + index).build())
        .values(numbers).counts(numbers).build(), index);
  }

  @Test
  void cutsAtTheBatchSizeAndKeepsOrder() {
    List<OutgoingDatum> datums = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      datums.add(datum(i, 0));
    }

    List<List<OutgoingDatum>> batches = new DatumBatcher(20).batches(datums);

    assertThat(batches).extracting(List::size).containsExactly(20, 20, 5);
    assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(datums);
  }

  @Test
  void cutsBeforeThePayloadLimit() {
    List<OutgoingDatum> datums = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      datums.add(datum(i, 150));
    }

    List<List<OutgoingDatum>> batches = new DatumBatcher(1_000).batches(datums);

    assertThat(batches.size()).isGreaterThan(1);
    for (List<OutgoingDatum> batch : batches) {
      long bytes = batch.stream().mapToLong(d -> DatumBatcher.estimatedBytes(d.datum())).sum();
      assertThat(bytes).isLessThanOrEqualTo(DatumBatcher.MAX_PAYLOAD_BYTES);
    }
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(1_000);
  }

  @Test
  void estimatesAtLeastTheCborEncodingOfADatum() throws Exception {
    MetricDatum datum = MetricDatum.builder().metricName("ResponseTime")
        .dimensions(Dimension.builder().name("Name").value("/users/[id]").build(),
            Dimension.builder().name("Method").value("GET").build(),
            Dimension.builder().name("Environment").value("staging").build())
        .timestamp(java.time.Instant.parse("2026-11-23T10:00:00.123Z"))
        .values(new ArrayList<>(Collections.nCopies(150, 1234.5678)))
        .counts(new ArrayList<>(Collections.nCopies(150, 98765.0)))
        .value(3.0).unit("Milliseconds").storageResolution(1).build();
    Map<String, Object> encoded = new LinkedHashMap<>();
    encoded.put("MetricName", datum.metricName());
    encoded.put("Dimensions", datum.dimensions().stream().map(d -> Map.of("Name", d.name(), "Value", d.value())).toList());
    encoded.put("Timestamp", 1_795_428_000.123);
    encoded.put("Value", datum.value());
    encoded.put("Values", datum.values());
    encoded.put("Counts", datum.counts());
    encoded.put("Unit", datum.unitAsString());
    encoded.put("StorageResolution", datum.storageResolution());

    int cborBytes = FakeCloudWatch.CBOR.writeValueAsBytes(encoded).length;

    assertThat(DatumBatcher.estimatedBytes(datum)).isGreaterThanOrEqualTo(cborBytes);
  }

  @Test
  void rejectsABatchSizeBeyondTheApiLimit() {
    assertThatThrownBy(() -> new DatumBatcher(1_001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize must be between 1 and 1000 but was 1001");
  }
}
