package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpVersionTest {

  @Test
  void offersH2FirstByDefaultAndOnlyWhatWasAskedForOtherwise() {
    assertThat(HttpVersion.AUTO.alpn()).containsExactly("h2", "http/1.1");
    assertThat(HttpVersion.HTTP_1_1.alpn()).containsExactly("http/1.1");
    assertThat(HttpVersion.HTTP_2.alpn()).containsExactly("h2");
  }

  @Test
  void parsesTheCommandLineNames() {
    assertThat(HttpVersion.parse("auto")).isEqualTo(HttpVersion.AUTO);
    assertThat(HttpVersion.parse("1.1")).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(HttpVersion.parse("2")).isEqualTo(HttpVersion.HTTP_2);
    assertThatThrownBy(() -> HttpVersion.parse("h3")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP version must be auto, 1.1 or 2 but was h3");
  }
}
