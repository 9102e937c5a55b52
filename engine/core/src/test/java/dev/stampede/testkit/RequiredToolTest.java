package dev.stampede.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

  @Test
  void aMissingToolSkipsOnADevelopersMachine() {
    assertThatThrownBy(() -> RequiredTool.assumeInstalled(false, "/usr/bin/influxd is not installed", Map.of()))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("skipping");
  }

  @Test
  void aMissingToolFailsOnCi() {
    assertThatThrownBy(() -> RequiredTool.assumeInstalled(false, "/usr/bin/influxd is not installed", Map.of("CI", "true")))
        .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class)
        .hasMessageContaining("CI=true, so this fails instead of skipping");
  }

  @Test
  void anInstalledToolRunsEverywhere() {
    assertThatCode(() -> RequiredTool.assumeInstalled(true, "x", Map.of("CI", "true"))).doesNotThrowAnyException();
  }
}
