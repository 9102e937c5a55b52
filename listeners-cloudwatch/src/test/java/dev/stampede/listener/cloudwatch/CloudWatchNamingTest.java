package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CloudWatchNamingTest {

  @Test
  void keepsPrintableAsciiAsItIs() {
    assertThat(CloudWatchNaming.dimensionValue("/users/[id]?a=b&c=d e")).isEqualTo("/users/[id]?a=b&c=d e");
  }

  @Test
  void escapesNonAsciiAndControlCharacters() {
    assertThat(CloudWatchNaming.dimensionValue("/unicodé\n✓")).isEqualTo("/unicod\\u00E9\\u000A\\u2713");
  }

  @Test
  void keepsDistinctNamesDistinct() {
    List<String> names = List.of("/é", "/\\u00E9", "/\\u00e9", "/a\\b", "/a\\\\b", "", " ", "  ");
    Set<String> escaped = new HashSet<>();
    for (String name : names) {
      escaped.add(CloudWatchNaming.dimensionValue(name));
    }
    assertThat(escaped).hasSize(names.size());
    Set<String> hostile = new HashSet<>();
    for (String name : CloudWatchListenerCompatibilityTest.HOSTILE) {
      hostile.add(CloudWatchNaming.dimensionValue(name));
    }
    assertThat(hostile).hasSize(CloudWatchListenerCompatibilityTest.HOSTILE.size());
  }

  @Test
  void everyResultFollowsTheApisRules() {
    for (String name : List.of("", " ", "\t", "x".repeat(5_000), "名".repeat(400), "/ok")) {
      String value = CloudWatchNaming.dimensionValue(name);
      assertThat(value.length()).isBetween(1, CloudWatchNaming.MAX_DIMENSION_VALUE_LENGTH);
      assertThat(value).isNotBlank().matches("[\\x20-\\x7e]+");
    }
  }

  @Test
  void shortensLongValuesWithAHashSoTheyStayDistinct() {
    String a = CloudWatchNaming.dimensionValue("x".repeat(2_000) + "a");
    String b = CloudWatchNaming.dimensionValue("x".repeat(2_000) + "b");

    assertThat(a).hasSize(CloudWatchNaming.MAX_DIMENSION_VALUE_LENGTH).contains("~");
    assertThat(a).isNotEqualTo(b);
  }
}
