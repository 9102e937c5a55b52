package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HttpClientOptionsTest {

  private static HttpClientOptions parse(String... args) {
    HttpClientOptions options = new HttpClientOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void defaultsToGzipAndDeflateAndAFourMegabyteKeepLimit() {
    HttpClientOptions options = parse();
    List<String> problems = new ArrayList<>();

    assertThat(options.acceptEncodingHeader()).isEqualTo("gzip, deflate");
    assertThat(options.maxBodyBytes(problems)).isEqualTo(4L * 1024 * 1024);
    assertThat(problems).isEmpty();
  }

  @Test
  void compressionCanBeChangedOrTurnedOff() {
    assertThat(parse("--accept-encoding", "gzip").acceptEncodingHeader()).isEqualTo("gzip");
    assertThat(parse("--no-compression").acceptEncodingHeader()).isNull();
    assertThat(parse("--accept-encoding", "").acceptEncodingHeader()).isNull();
  }

  @Test
  void readsSizesWithAndWithoutUnits() {
    assertThat(HttpClientOptions.parseSize("0")).isZero();
    assertThat(HttpClientOptions.parseSize("1048576")).isEqualTo(1_048_576);
    assertThat(HttpClientOptions.parseSize("512KB")).isEqualTo(512 * 1024);
    assertThat(HttpClientOptions.parseSize("16mb")).isEqualTo(16L * 1024 * 1024);
    assertThat(HttpClientOptions.parseSize("1GB")).isEqualTo(1024L * 1024 * 1024);
    assertThat(HttpClientOptions.parseSize("100B")).isEqualTo(100);
    assertThatThrownBy(() -> HttpClientOptions.parseSize("-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpClientOptions.parseSize("4 megs")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeepLimitBeyondWhatOneArrayHoldsIsAProblem() {
    List<String> problems = new ArrayList<>();

    parse("--max-body", "4GB").maxBodyBytes(problems);

    assertThat(problems).containsExactly("--max-body must be at most 2147483631 bytes but was 4GB");
  }

  @Test
  void acceptsTheThreeHttpVersionsAndNoOther() {
    List<String> problems = new ArrayList<>();

    parse().checkTimeouts(problems);
    parse("--http-version", "1.1").checkTimeouts(problems);
    parse("--http-version", "2").checkTimeouts(problems);
    assertThat(problems).isEmpty();

    parse("--http-version", "3").checkTimeouts(problems);
    assertThat(problems).containsExactly("--http-version must be auto, 1.1 or 2 but was 3");
  }
}
