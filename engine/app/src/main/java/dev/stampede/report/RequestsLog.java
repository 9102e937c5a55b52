package dev.stampede.report;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code --requests-log FILE}: one CSV row per request (timestamp, method, name, response time in
 * ms with microsecond precision, bytes, status, error). It runs as a lossless listener on the
 * result bus, so writing the file never happens on a user's thread.
 */
public final class RequestsLog implements Listener {

  static final String HEADER = "timestamp,method,name,response_time_ms,bytes,status,error";

  private final Path file;
  private BufferedWriter out;
  private long failed;

  /** A log that will be written to {@code file}. */
  public RequestsLog(Path file) {
    this.file = file;
  }

  @Override
  public void onStart(RunInfo run) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      out.write(HEADER);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the requests log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onResults(List<RequestResult> batch) {
    try {
      for (RequestResult result : batch) {
        out.write(Instant.ofEpochSecond(0, result.startEpochMicros() * 1_000).toString());
        out.write(',');
        out.write(CsvReport.quote(result.method()));
        out.write(',');
        out.write(CsvReport.quote(result.name()));
        out.write(',');
        out.write(String.format(Locale.ROOT, "%.3f", result.responseTimeNanos() / 1e6));
        out.write(',');
        out.write(Long.toString(result.bytes()));
        out.write(',');
        out.write(Integer.toString(result.status()));
        out.write(',');
        out.write(result.failure() == null ? "" : CsvReport.quote(result.failure()));
        out.write('\n');
      }
    } catch (IOException e) {
      failed += batch.size();
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onStop(Summary summary) {
    close();
  }

  @Override
  public dev.stampede.ExportReport report() {
    return new dev.stampede.ExportReport(failed, java.util.Map.of("file", file.toString()));
  }

  @Override
  public void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // Nothing else to report: rows that failed to write were counted.
      }
      out = null;
    }
  }
}
