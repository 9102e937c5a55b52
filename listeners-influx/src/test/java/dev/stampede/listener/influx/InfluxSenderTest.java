package dev.stampede.listener.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InfluxSenderTest {

  @Test
  void backoffDoublesFromTheInitialDelayUpToTheCap() {
    InfluxSender.Backoff backoff = new InfluxSender.Backoff(Duration.ofMillis(100), Duration.ofMillis(700));

    assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(700));
    assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void backoffRejectsACapBelowTheInitialDelay() {
    assertThatThrownBy(() -> new InfluxSender.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max must be >= initial");
  }
}
