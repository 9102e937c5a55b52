package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.FixedCount;
import dev.stampede.LoadShape;
import dev.stampede.Shard;
import dev.stampede.Task;
import dev.stampede.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardedLoadTest {

  @Test
  void splitsUsersExactlyAndTheSpawnRateInProportionSoRampsEndTogether() {
    LoadShape.Target whole = LoadShape.Target.users(10, 5);
    int users = 0;
    double spawnRate = 0;
    for (int i = 0; i < 3; i++) {
      LoadShape.Target part = new ShardedLoad(new Shard(i, 3)).split(whole);
      users += part.users();
      spawnRate += part.spawnRate();
      assertThat(part.users() / part.spawnRate()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(users).isEqualTo(10);
    assertThat(spawnRate).isCloseTo(5, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void splitsTheArrivalRateAndKeepsAUserWhereIterationsMustStart() {
    LoadShape.Target whole = LoadShape.Target.arrivals(7.5, 2);
    List<LoadShape.Target> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parts.add(new ShardedLoad(new Shard(i, 3)).split(whole));
    }
    assertThat(parts).extracting(LoadShape.Target::arrivalRate).containsExactly(2.5, 2.5, 2.5);
    assertThat(parts).extracting(LoadShape.Target::users).containsExactly(1, 1, 1);
  }

  @Test
  void interleavesTheShardsIterations() {
    assertThat(new ShardedLoad(new Shard(0, 3)).phaseNanos(7.5)).isZero();
    assertThat(new ShardedLoad(new Shard(2, 3)).phaseNanos(7.5)).isEqualTo(266_666_666L);
  }

  @Test
  void splitsEveryTargetOfALoadShape() {
    LoadShape shape = LoadShape.stages(List.of(new LoadShape.Stage(Duration.ofSeconds(10), 7, 7)));
    LoadShape part = new ShardedLoad(new Shard(0, 2)).split(shape);
    assertThat(part.tick(Duration.ofSeconds(1)).users()).isEqualTo(4);
    assertThat(new ShardedLoad(new Shard(1, 2)).split(shape).tick(Duration.ofSeconds(1)).users()).isEqualTo(3);
    assertThat(part.tick(Duration.ofSeconds(11))).isNull();
  }

  @FixedCount(5)
  static class Admin extends User {
    @Task
    void t() {}
  }

  static class Shopper extends User {
    @Task
    void t() {}
  }

  @Test
  void splitsFixedCountsExactly() {
    int admins = 0;
    for (int i = 0; i < 3; i++) {
      UserMix mix = new UserMix(List.of(Admin.class, Shopper.class), new Shard(i, 3));
      int shardAdmins = 0;
      for (int u = 0; u < 10; u++) {
        if (mix.next() == Admin.class) {
          shardAdmins++;
        }
      }
      assertThat(shardAdmins).isEqualTo(new Shard(i, 3).part(5));
      admins += shardAdmins;
    }
    assertThat(admins).isEqualTo(5);
  }
}
