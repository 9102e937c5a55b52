package dev.stampede.http;

import dev.stampede.engine.ResultSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ResultSink} that keeps every record, for assertions. */
final class RecordingSink implements ResultSink {

  record Record(String method, String name, long startEpochMicros, long startNanos, long endNanos, long bytes,
      int status, String failure) {}

  final List<Record> records = new CopyOnWriteArrayList<>();

  @Override
  public void record(String method, String name, long startEpochMicros, long startNanos, long endNanos, long bytes,
      int status, String failure) {
    records.add(new Record(method, name, startEpochMicros, startNanos, endNanos, bytes, status, failure));
  }

  Record only() {
    if (records.size() != 1) {
      throw new AssertionError("expected exactly one record but got " + records);
    }
    return records.get(0);
  }
}
