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
  void writesLineFeedsAsBackslashN() {
    assertThat(InfluxNaming.tag("/new\nline")).isEqualTo("/new\\nline");
    assertThat(InfluxNaming.needsStandIn("/new\nline")).isTrue();
    assertThat(line("/new\nline")).doesNotContain("\n");
  }

  @Test
  void evensOutOddBackslashRunsThatWouldEscapeTheNextCharacter() {
    assertThat(InfluxNaming.tag("trailing\\")).isEqualTo("trailing\\\\");
    assertThat(InfluxNaming.tag("a\\ b")).isEqualTo("a\\\\ b");
    assertThat(InfluxNaming.tag("a\\\\ b")).isEqualTo("a\\\\ b");
    assertThat(InfluxNaming.tag("a\\\\\\,b")).isEqualTo("a\\\\\\\\,b");
    assertThat(line("trailing\\")).isEqualTo("requests,name=trailing\\\\ count=1i 1");
  }
}
