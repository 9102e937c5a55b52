package dev.stampede;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WaitTimeTest {

  @Test
  void betweenStaysWithinItsBoundsAndCoversThem() {
    WaitTime wait = WaitTime.between(1, 2);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long nanos = wait.waitNanos(0);
      min = Math.min(min, nanos);
      max = Math.max(max, nanos);
    }
    assertThat(min).isGreaterThanOrEqualTo(1_000_000_000L).isLessThan(1_010_000_000L);
    assertThat(max).isLessThanOrEqualTo(2_000_000_000L).isGreaterThan(1_990_000_000L);
  }

  @Test
  void constantIgnoresTheTaskTime() {
    assertThat(WaitTime.constant(0.25).waitNanos(5_000_000_000L)).isEqualTo(250_000_000L);
  }

  @Test
  void constantPacingSubtractsTheTaskTimeAndNeverGoesNegative() {
    WaitTime pacing = WaitTime.constantPacing(1);
    assertThat(pacing.waitNanos(300_000_000L)).isEqualTo(700_000_000L);
    assertThat(pacing.waitNanos(1_500_000_000L)).isZero();
  }

  @Test
  void constantThroughputIsPacingOfOneOverTheRate() {
    assertThat(WaitTime.constantThroughput(4).waitNanos(50_000_000L)).isEqualTo(200_000_000L);
  }

  @Test
  void rejectsNegativeAndInvertedArguments() {
    assertThatThrownBy(() -> WaitTime.between(2, 1)).hasMessage("maxSeconds must be >= minSeconds (2.0) but was 1.0");
    assertThatThrownBy(() -> WaitTime.constant(-1)).hasMessage("seconds must be >= 0 but was -1.0");
    assertThatThrownBy(() -> WaitTime.constantThroughput(0)).hasMessage("tasksPerSecond must be > 0 but was 0.0");
  }
}
