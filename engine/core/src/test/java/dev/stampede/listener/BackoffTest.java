package dev.stampede.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700), 4);

  @Test
  void doublesFromTheInitialDelayUpToTheCapAtTheTopOfTheJitter() {
    assertThat(backoff.delay(0, () -> 0.999_999)).isCloseTo(Duration.ofMillis(100), Duration.ofMillis(1));
    assertThat(backoff.delay(1, () -> 0.999_999)).isCloseTo(Duration.ofMillis(200), Duration.ofMillis(1));
    assertThat(backoff.delay(2, () -> 0.999_999)).isCloseTo(Duration.ofMillis(400), Duration.ofMillis(1));
    assertThat(backoff.delay(3, () -> 0.999_999)).isCloseTo(Duration.ofMillis(700), Duration.ofMillis(1));
    assertThat(backoff.delay(1_000, () -> 0.999_999)).isCloseTo(Duration.ofMillis(700), Duration.ofMillis(1));
  }

  @Test
  void jittersBetweenHalfAndAllOfTheDelay() {
    assertThat(backoff.delay(2, () -> 0.0)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(2, () -> 0.5)).isEqualTo(Duration.ofMillis(300));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }
  }

  @Test
  void countsAttemptsIncludingTheFirst() {
    assertThat(backoff.allowsAnotherAfter(3)).isTrue();
    assertThat(backoff.allowsAnotherAfter(4)).isFalse();
    assertThat(Backoff.unlimited(Duration.ofMillis(1), Duration.ofMillis(1)).allowsAnotherAfter(1_000_000)).isTrue();
  }

  @Test
  void rejectsACapBelowTheInitialDelayAndNoAttempts() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be >= initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be >= 1 but was 0");
  }
}
