package dev.stampede;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadShapeTest {

  @Test
  void stagesRunOneAfterTheOtherThenStop() {
    LoadShape shape = LoadShape.stages(List.of(
        new LoadShape.Stage(Duration.ofSeconds(10), 5, 5),
        new LoadShape.Stage(Duration.ofSeconds(30), 50, 10)));
    assertThat(shape.tick(Duration.ZERO)).isEqualTo(LoadShape.Target.users(5, 5));
    assertThat(shape.tick(Duration.ofSeconds(9))).isEqualTo(LoadShape.Target.users(5, 5));
    assertThat(shape.tick(Duration.ofSeconds(10))).isEqualTo(LoadShape.Target.users(50, 10));
    assertThat(shape.tick(Duration.ofSeconds(30))).isNull();
  }

  @Test
  void stepsAddUsersEveryStepUpToTheMaximum() {
    LoadShape shape = LoadShape.steps(10, Duration.ofSeconds(5), 25, Duration.ofMinutes(1));
    assertThat(shape.tick(Duration.ofSeconds(0)).users()).isEqualTo(10);
    assertThat(shape.tick(Duration.ofSeconds(5)).users()).isEqualTo(20);
    assertThat(shape.tick(Duration.ofSeconds(12)).users()).isEqualTo(25);
    assertThat(shape.tick(Duration.ofMinutes(1))).isNull();
  }

  @Test
  void spikeRisesForItsLengthThenFalls() {
    LoadShape shape = LoadShape.spike(10, 100, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(60));
    assertThat(shape.tick(Duration.ofSeconds(19)).users()).isEqualTo(10);
    assertThat(shape.tick(Duration.ofSeconds(20)).users()).isEqualTo(100);
    assertThat(shape.tick(Duration.ofSeconds(24)).users()).isEqualTo(100);
    assertThat(shape.tick(Duration.ofSeconds(25)).users()).isEqualTo(10);
    assertThat(shape.tick(Duration.ofSeconds(60))).isNull();
  }

  @Test
  void targetsRejectImpossibleValues() {
    assertThatThrownBy(() -> LoadShape.Target.users(-1, 1)).hasMessage("users must be >= 0 but was -1");
    assertThatThrownBy(() -> LoadShape.Target.users(1, 0)).hasMessage("spawnRate must be > 0 but was 0.0");
  }
}
