package dev.stampede;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardTest {

  @Test
  void splitsTenUsersOnThreeShardsAsFourThreeThree() {
    assertThat(new Shard(0, 3).part(10)).isEqualTo(4);
    assertThat(new Shard(1, 3).part(10)).isEqualTo(3);
    assertThat(new Shard(2, 3).part(10)).isEqualTo(3);
  }

  @Test
  void partsOfWholeNumbersAlwaysSumToTheWholeAndDifferByAtMostOne() {
    for (int count = 1; count <= 17; count++) {
      for (int total = 0; total <= 200; total++) {
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int index = 0; index < count; index++) {
          Shard shard = new Shard(index, count);
          long part = shard.part((long) total);
          assertThat(shard.first(total)).as("first of %s of %d", shard, total).isEqualTo(sum);
          sum += part;
          min = Math.min(min, part);
          max = Math.max(max, part);
        }
        assertThat(sum).as("%d on %d shards", total, count).isEqualTo(total);
        assertThat(max - min).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void splitsSevenAndAHalfPerSecondExactlyOnThreeShards() {
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      double part = new Shard(i, 3).part(7.5);
      assertThat(part).isEqualTo(2.5);
      sum += part;
    }
    assertThat(sum).isEqualTo(7.5);
  }

  @Test
  void ratePartsSumToTheWholeForAwkwardRates() {
    for (double rate : new double[] {7.5, 1, 0.3, 100.0 / 3, 12345.678}) {
      for (int count = 1; count <= 9; count++) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
          sum += new Shard(i, count).part(rate);
        }
        assertThat(sum).as("%s on %d", rate, count).isCloseTo(rate, org.assertj.core.data.Offset.offset(rate * 1e-12));
      }
    }
  }

  @Test
  void theWholeShardSplitsNothing() {
    assertThat(Shard.WHOLE.part(10)).isEqualTo(10);
    assertThat(Shard.WHOLE.part(7.5)).isEqualTo(7.5);
    assertThat(Shard.parse("0/1")).isEqualTo(Shard.WHOLE);
  }

  @Test
  void parsesAndRejectsWithTheRule() {
    assertThat(Shard.parse(" 2 / 3 ")).isEqualTo(new Shard(2, 3));
    assertThatThrownBy(() -> Shard.parse("3/3")).hasMessage("shard 3/3: shard index must be in [0, 3) but was 3");
    assertThatThrownBy(() -> Shard.parse("1-3")).hasMessageContaining("shard must be I/N");
    assertThatThrownBy(() -> Shard.parse("0/0")).hasMessage("shard 0/0: shard count must be >= 1 but was 0");
  }
}
