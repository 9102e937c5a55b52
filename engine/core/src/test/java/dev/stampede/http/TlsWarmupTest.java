package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsWarmupTest {

  @Test
  void runsItsRoundsOfInMemoryHandshakesUntilTheyAreFast() {
    TlsWarmup.Report report = TlsWarmup.run(Duration.ofMinutes(2), Duration.ofMinutes(2));

    assertThat(report.failure()).isNull();
    assertThat(report.rounds()).isBetween(TlsWarmup.ROUNDS, TlsWarmup.MAX_ROUNDS);
    assertThat(report.warm()).as("%s", report).isTrue();
    assertThat(report.lastRoundCpu()).isLessThanOrEqualTo(report.fastestRoundCpu().multipliedBy(2));
  }

  @Test
  void runsNoRoundWithoutACpuBudget() {
    TlsWarmup.Report report = TlsWarmup.run(Duration.ZERO, Duration.ofMinutes(2));

    assertThat(report.rounds()).isZero();
    assertThat(report.warm()).isFalse();
    assertThat(report.failure()).isNull();
  }

  @Test
  void stopsAtTheWallClockCapWhateverTheCpuBudget() {
    TlsWarmup.Report report = TlsWarmup.run(Duration.ofMinutes(2), Duration.ZERO);

    assertThat(report.rounds()).isZero();
    assertThat(report.failure()).isNull();
  }

  @Test
  void startsOnlyForAnHttpsBaseUrl() {
    assertThat(TlsWarmup.beginFor(null)).isFalse();
    assertThat(TlsWarmup.beginFor("http://127.0.0.1:8080")).isFalse();
    assertThat(TlsWarmup.beginFor("HTTPS://127.0.0.1:8443")).isTrue();
  }
}
