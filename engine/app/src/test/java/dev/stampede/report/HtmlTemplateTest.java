package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTemplateTest {

  @Test
  void doesNotExpandSlotsInsideInsertedValues() {
    String html = HtmlTemplate.load("dev/stampede/report/report.html").render(Map.of(
        "title", "{{data}}", "uplot_license", "", "uplot_css", "", "app_css", "", "run_view", "", "uplot_js", "",
        "app_js", "",
        "data", "{\"a\":\"{{title}} $1 \\\\\"}"));

    assertThat(html).contains("<title>{{data}}</title>").contains("{\"a\":\"{{title}} $1 \\\\\"}");
  }

  @Test
  void refusesAMissingSlotValue() {
    assertThatThrownBy(() -> HtmlTemplate.load("dev/stampede/report/report.html").render(Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("title");
  }

  @Test
  void refusesBundledCodeThatWouldEndItsElement() {
    assertThatThrownBy(() -> HtmlTemplate.inScript("var a = '</SCRIPT>';")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> HtmlTemplate.inStyle("a{} </style>")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void escapesMarkupInText() {
    assertThat(HtmlTemplate.escapeText("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
