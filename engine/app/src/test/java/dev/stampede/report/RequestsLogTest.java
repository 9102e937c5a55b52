package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.ExportReport;
import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestsLogTest {

  private static final RunInfo RUN = new RunInfo("r", "i", "http://h", "s", Map.of(), Instant.EPOCH);

  private static List<RequestResult> rows(int count) {
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(new RequestResult(1_700_000_000_000_000L + i, "GET", "/items/" + i + "/with-a-longer-name", 1_234_567,
          512, 200, null, Map.of()));
    }
    return rows;
  }

  /** Records every write the log makes, as the file would receive them. */
  private static final class Writes extends OutputStream {
    final List<byte[]> writes = new ArrayList<>();
    final ByteArrayOutputStream all = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
      writes.add(copy);
      all.writeBytes(copy);
    }
  }

  @Test
  void everyWriteEndsAtTheEndOfARow() {
    Writes writes = new Writes();
    RequestsLog log = new RequestsLog(Path.of("requests.csv"), file -> writes);
    log.onStart(RUN);
    for (int i = 0; i < 20; i++) {
      log.onResults(rows(997));
    }
    log.onStop(null);

    assertThat(writes.writes).hasSizeGreaterThan(10)
        .allSatisfy(w -> assertThat(w[w.length - 1]).as("last byte of a write").isEqualTo((byte) '\n'));
    assertThat(writes.all.toString(StandardCharsets.UTF_8).lines()).hasSize(20 * 997 + 1);
  }

  @Test
  void aFailingWriteIsCountedAndReportedWithItsError() {
    OutputStream full = new OutputStream() {
      private long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (written > 0) {
          throw new IOException("No space left on device");
        }
        written += len;
      }
    };
    RequestsLog log = new RequestsLog(Path.of("requests.csv"), file -> full);
    log.onStart(RUN);
    log.onResults(rows(100));
    log.onStop(null);

    ExportReport report = log.report();
    assertThat(report.failed()).isEqualTo(100);
    assertThat(report.details()).containsEntry("error", "IOException: No space left on device");
  }
}
