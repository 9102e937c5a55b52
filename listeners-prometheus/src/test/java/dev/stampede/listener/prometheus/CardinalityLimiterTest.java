package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CardinalityLimiterTest {

  @Test
  void admitsTheFirstDistinctKeysUpToTheCapAndKeepsAdmittingThem() {
    CardinalityLimiter<String> limiter = new CardinalityLimiter<>(2);

    assertThat(limiter.admit("a")).isTrue();
    assertThat(limiter.admit("b")).isTrue();
    assertThat(limiter.admit("a")).isTrue();
    assertThat(limiter.admit("c")).isFalse();
    assertThat(limiter.admit("b")).isTrue();
    assertThat(limiter.admit("c")).isFalse();
    assertThat(limiter.admit("d")).isFalse();
    assertThat(limiter.overflowed()).isEqualTo(3);
  }

  @Test
  void rejectsACapBelowOne() {
    assertThatThrownBy(() -> new CardinalityLimiter<String>(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max must be >= 1 but was 0");
  }
}
