package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

class InfluxNamingTest {

  private static String line(String name) {
    return Point.measurement("requests").tag("name", InfluxNaming.tag(name)).addField("count", 1L)
        .time(1L, TimeUnit.NANOSECONDS).build().lineProtocol();
  }

  @Test
  void escapesSpacesCommasAndEqualsSignsInTagValuesThroughThePointBuilder() {
    assertThat(line("/a b,c=d")).isEqualTo("requests,name=/a\\ b\\,c\\=d count=1i 1");
  }

  @Test
  void leavesQuotesBackslashesAndUnicodeAsTheyAre() {
    assertThat(InfluxNaming.tag("/quote\"d")).isEqualTo("/quote\"d");
    assertThat(InfluxNaming.tag("/back\\slash")).isEqualTo("/back\\slash");
    assertThat(InfluxNaming.tag("/unicodé-名前-✓")).isEqualTo("/unicodé-名前-✓");
    assertThat(InfluxNaming.needsStandIn("/{tag}=x;y")).isFalse();
    assertThat(line("/quote\"d")).isEqualTo("requests,name=/quote\"d count=1i 1");
  }

  @Test
  void keepsBackslashesBeforeDelimitersBecauseInfluxUnescapesExactlyOne() {
    // InfluxDB reads "a\\ b" as "a\ b": the escaped space loses its one backslash.
    assertThat(InfluxNaming.needsStandIn("/a\\ b")).isFalse();
    assertThat(line("/a\\ b")).isEqualTo("requests,name=/a\\\\ b count=1i 1");
  }

  @Test
  void percentEncodesLineFeedsAndAFinalBackslash() {
    assertThat(InfluxNaming.tag("/new\nline")).isEqualTo("/new%0Aline");
    assertThat(InfluxNaming.tag("trailing\\")).isEqualTo("trailing%5C");
    assertThat(InfluxNaming.tag("two\\\\")).isEqualTo("two\\%5C");
    assertThat(InfluxNaming.needsStandIn("/new\nline")).isTrue();
    assertThat(InfluxNaming.needsStandIn("trailing\\")).isTrue();
    assertThat(line("/new\nline")).doesNotContain("\n");
  }
}
