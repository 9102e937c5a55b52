package dev.stampede.report;

import dev.stampede.stats.IntervalHistograms;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * {@code --hdr-log FILE}: every second's response-time histograms (microseconds) in HdrHistogram's
 * log format, which HdrHistogram's {@code HistogramLogProcessor} and plotters read: one untagged
 * line for all endpoints together, one tagged line per endpoint.
 *
 * <p>Tags are made safe: HdrHistogram 2.2.2's reader splits a line on spaces and commas, and
 * silently skips a line whose tag holds either, so {@code GET /items} is written as
 * {@code GET_/items} ({@link #tag}).
 */
public final class HdrLog implements IntervalHistograms, AutoCloseable {

  private final Path file;
  private final PrintStream out;
  private final HistogramLogWriter writer;
  private boolean headerWritten;

  /**
   * Creates {@code file} (and its directory).
   *
   * @throws java.io.UncheckedIOException when it cannot be created
   */
  public HdrLog(Path file) {
    this.file = file;
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      this.out = new PrintStream(file.toFile(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      throw new java.io.UncheckedIOException("cannot write the HdrHistogram log " + file + ": " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the HdrHistogram log " + file + ": " + e.getMessage(), e);
    }
    this.writer = new HistogramLogWriter(out);
  }

  /** The tag an endpoint key is written with: spaces, commas and other whitespace become {@code _}. */
  public static String tag(String key) {
    return key.replaceAll("[\\s,]", "_");
  }

  @Override
  public synchronized void onInterval(long startMillis, long endMillis, Map<String, Histogram> endpoints,
      Histogram total) {
    if (!headerWritten) {
      writer.outputLogFormatVersion();
      writer.outputComment("Stampede response times in microseconds; tag = endpoint, untagged = all endpoints");
      writer.setBaseTime(startMillis);
      writer.outputBaseTime(startMillis);
      writer.outputStartTime(startMillis);
      writer.outputLegend();
      headerWritten = true;
    }
    write(total, null, startMillis, endMillis);
    endpoints.forEach((key, h) -> write(h, tag(key), startMillis, endMillis));
    out.flush();
  }

  private void write(Histogram interval, String tag, long startMillis, long endMillis) {
    Histogram copy = interval.copy();
    copy.setStartTimeStamp(startMillis);
    copy.setEndTimeStamp(endMillis);
    copy.setTag(tag);
    writer.outputIntervalHistogram(copy);
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    out.close();
  }
}
