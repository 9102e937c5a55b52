package dev.stampede.report;

import dev.stampede.ExportReport;
import dev.stampede.Listener;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.Snapshot;
import dev.stampede.Summary;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --requests-log FILE}: one CSV row per request (timestamp, method, name, response time in
 * ms with microsecond precision, bytes, status, error). It runs as a lossless listener on the
 * result bus, so writing the file never happens on a user's thread.
 *
 * <p>Rows are written whole: they collect in a buffer of this class's own, which goes to the file
 * only between rows (when the next row would not fit, once a second on the run's tick, and at
 * stop), each time in one write. A run killed with {@code kill -9} or by the OOM killer therefore
 * leaves a log that is valid CSV up to its last row, missing at most the last second. A
 * {@link java.io.BufferedWriter} would flush at every 8 KiB of characters, in the middle of a row.
 *
 * <p>A write that fails is counted: its rows are reported as failed (in the listener table and the
 * JSON result) with the error, the log stops writing, and the command reports it.
 */
public final class RequestsLog implements Listener {

  static final String HEADER = "timestamp,method,name,response_time_ms,bytes,status,error";
  /** Bytes collected before a write; a row longer than this is written on its own. */
  static final int BUFFER_BYTES = 64 * 1024;

  /** Opens the file; replaced in tests by a stream that fails. */
  interface Opener {
    OutputStream open(Path file) throws IOException;
  }

  private final Path file;
  private final Opener opener;
  private OutputStream out;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int buffered;
  private long bufferedRows;
  private final StringBuilder row = new StringBuilder(256);
  private volatile long failed;
  private volatile String error;

  /** A log that will be written to {@code file}. */
  public RequestsLog(Path file) {
    this(file, RequestsLog::create);
  }

  RequestsLog(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
  }

  private static OutputStream create(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    return Files.newOutputStream(file);
  }

  @Override
  public void onStart(RunInfo run) {
    try {
      out = opener.open(file);
      out.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the requests log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onResults(List<RequestResult> batch) {
    for (RequestResult result : batch) {
      append(result);
    }
  }

  private void append(RequestResult result) {
    if (out == null) {
      failed++;
      return;
    }
    row.setLength(0);
    row.append(Instant.ofEpochSecond(0, result.startEpochMicros() * 1_000)).append(',')
        .append(CsvReport.quote(result.method())).append(',')
        .append(CsvReport.quote(result.name())).append(',')
        .append(String.format(Locale.ROOT, "%.3f", result.responseTimeNanos() / 1e6)).append(',')
        .append(result.bytes()).append(',')
        .append(result.status()).append(',')
        .append(result.failure() == null ? "" : CsvReport.quote(result.failure()))
        .append('\n');
    // Names are sanitised where results enter the engine; getBytes never throws on what is left.
    byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
    if (buffered + bytes.length > buffer.length) {
      flush();
    }
    if (bytes.length > buffer.length) {
      write(bytes, bytes.length, 1);
      return;
    }
    System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
    buffered += bytes.length;
    bufferedRows++;
  }

  /** Once a second: what a crash would lose is at most the last second's rows. */
  @Override
  public void onTick(Snapshot snapshot) {
    flush();
  }

  private void flush() {
    if (buffered > 0) {
      write(buffer, buffered, bufferedRows);
      buffered = 0;
      bufferedRows = 0;
    }
  }

  private void write(byte[] bytes, int length, long rows) {
    if (out == null) {
      failed += rows;
      return;
    }
    try {
      out.write(bytes, 0, length);
    } catch (IOException e) {
      failed += rows;
      error = WarnThenDebugLogger.describe(e);
      // A file that failed once (a full disk) would fail again or write a gap: stop writing.
      closeQuietly();
    }
  }

  @Override
  public void onStop(Summary summary) {
    flush();
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        error = WarnThenDebugLogger.describe(e);
      }
      out = null;
    }
  }

  /** Rows that could not be written, and the first error, if any. */
  @Override
  public ExportReport report() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("file", file.toString());
    if (error != null) {
      details.put("error", error);
    }
    return new ExportReport(failed, details);
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // Closing after a failure or an abandoned stop: the failure is already reported.
      }
      out = null;
    }
  }
}
