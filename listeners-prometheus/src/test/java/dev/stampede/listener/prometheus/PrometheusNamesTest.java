package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusNamesTest {

  @Test
  void replacesCharactersInvalidInLabelNames() {
    assertThat(PrometheusNames.tagLabel("build-number")).isEqualTo("build_number");
    assertThat(PrometheusNames.tagLabel("team.name/x")).isEqualTo("team_name_x");
    assertThat(PrometheusNames.tagLabel("région")).isEqualTo("r_gion");
  }

  @Test
  void prefixesLabelNamesThatStartWithADigitOrAreEmpty() {
    assertThat(PrometheusNames.tagLabel("1st")).isEqualTo("_1st");
    assertThat(PrometheusNames.tagLabel("")).isEqualTo("_");
  }

  @Test
  void prefixesTagsThatCollideWithStampedeOrPrometheusLabels() {
    assertThat(PrometheusNames.tagLabel("run_id")).isEqualTo("tag_run_id");
    assertThat(PrometheusNames.tagLabel("name")).isEqualTo("tag_name");
    assertThat(PrometheusNames.tagLabel("le")).isEqualTo("tag_le");
    assertThat(PrometheusNames.tagLabel("instance")).isEqualTo("tag_instance");
    assertThat(PrometheusNames.tagLabel("job")).isEqualTo("tag_job");
    assertThat(PrometheusNames.tagLabel("__meta")).isEqualTo("tag___meta");
  }

  @Test
  void keepsTheFirstTagInKeyOrderWhenTwoKeysMapToTheSameLabel() {
    assertThat(PrometheusNames.tagLabels(Map.of("a-b", "second", "a.b", "first")))
        .containsExactly(Map.entry("a_b", "second"));
    assertThat(PrometheusNames.tagLabels(Map.of("env", "ci", "le", "x")))
        .containsExactly(Map.entry("env", "ci"), Map.entry("tag_le", "x"));
  }

  @Test
  void keepsQuotesBackslashesNewlinesAndUnicodeInLabelValuesForTheWriterToEscape() {
    for (String hostile : new String[] {"/quote\"d", "/back\\slash", "/new\nline", "/unicodé-名前-✓", "/emoji-\uD83D\uDE00"}) {
      assertThat(PrometheusNames.labelValue(hostile)).isEqualTo(hostile);
    }
  }

  @Test
  void replacesLoneSurrogatesWhichHaveNoUtf8Form() {
    assertThat(PrometheusNames.labelValue("/a\uD800b")).isEqualTo("/a\uFFFDb");
    assertThat(PrometheusNames.labelValue("\uDC00x")).isEqualTo("\uFFFDx");
    assertThat(PrometheusNames.labelValue("x\uD83D")).isEqualTo("x\uFFFD");
  }

  @Test
  void exportsEmptyValuesAsAVisibleMarkerBecausePrometheusDropsEmptyLabels() {
    assertThat(PrometheusNames.labelValue("")).isEqualTo(PrometheusNames.EMPTY_VALUE);
  }

  @Test
  void classifiesErrorsByStatusThenExceptionClassThenMessage() {
    assertThat(PrometheusNames.errorClass(503, "HTTP 503 Service Unavailable")).isEqualTo("HTTP 503");
    assertThat(PrometheusNames.errorClass(0, "java.net.ConnectException: Connection refused to 10.0.0.1"))
        .isEqualTo("ConnectException");
    assertThat(PrometheusNames.errorClass(0, "HttpTimeoutException: request timed out"))
        .isEqualTo("HttpTimeoutException");
    assertThat(PrometheusNames.errorClass(200, "expected body to contain 'ok'\nbut was: ..."))
        .isEqualTo("expected body to contain 'ok'");
    assertThat(PrometheusNames.errorClass(0, "x".repeat(500))).hasSize(PrometheusNames.MAX_ERROR_LENGTH);
    assertThat(PrometheusNames.errorClass(0, " ")).isEqualTo("unknown");
  }
}
