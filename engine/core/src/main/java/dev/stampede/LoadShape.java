package dev.stampede;

import java.time.Duration;
import java.util.List;

/**
 * A custom load profile: asked once per second for the target load, like Locust's
 * {@code LoadTestShape}. A scenario that declares a {@code LoadShape} class runs by it instead of
 * {@code --users}/{@code --run-time}.
 */
@FunctionalInterface
public interface LoadShape {

  /**
   * The target at {@code elapsed} since the start, or {@code null} to stop the run.
   */
  Target tick(Duration elapsed);

  /**
   * A target load.
   *
   * @param users closed model: users to run; open model: the most concurrent users
   * @param spawnRate users started (or stopped) per second on the way to {@code users}, > 0
   * @param arrivalRate open model: iterations started per second; 0 for the closed model
   */
  record Target(int users, double spawnRate, double arrivalRate) {
    public Target {
      if (users < 0) {
        throw new IllegalArgumentException("users must be >= 0 but was " + users);
      }
      if (!(spawnRate > 0)) {
        throw new IllegalArgumentException("spawnRate must be > 0 but was " + spawnRate);
      }
      if (!(arrivalRate >= 0)) {
        throw new IllegalArgumentException("arrivalRate must be >= 0 but was " + arrivalRate);
      }
    }

    /** Closed model: {@code users} users, started at {@code spawnRate} per second. */
    public static Target users(int users, double spawnRate) {
      return new Target(users, spawnRate, 0);
    }

    /** Open model: {@code arrivalRate} iterations per second on at most {@code maxUsers} users. */
    public static Target arrivals(double arrivalRate, int maxUsers) {
      return new Target(maxUsers, Math.max(1, maxUsers), arrivalRate);
    }
  }

  /**
   * One stage of {@link #stages}: until {@code until} since the start, run {@code users} users
   * reached at {@code spawnRate} per second.
   */
  record Stage(Duration until, int users, double spawnRate) {}

  /** Stages run one after the other; the run stops after the last one. */
  static LoadShape stages(List<Stage> stages) {
    List<Stage> copy = List.copyOf(stages);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("stages must not be empty");
    }
    return elapsed -> {
      for (Stage stage : copy) {
        if (elapsed.compareTo(stage.until()) < 0) {
          return Target.users(stage.users(), stage.spawnRate());
        }
      }
      return null;
    };
  }

  /**
   * A step load: {@code stepUsers} more users every {@code stepDuration}, up to {@code maxUsers},
   * stopping after {@code total}.
   */
  static LoadShape steps(int stepUsers, Duration stepDuration, int maxUsers, Duration total) {
    if (stepUsers < 1) {
      throw new IllegalArgumentException("stepUsers must be >= 1 but was " + stepUsers);
    }
    return elapsed -> {
      if (elapsed.compareTo(total) >= 0) {
        return null;
      }
      long step = elapsed.toNanos() / stepDuration.toNanos() + 1;
      int users = (int) Math.min(maxUsers, step * stepUsers);
      return Target.users(users, stepUsers);
    };
  }

  /**
   * A spike: {@code baseUsers}, then {@code peakUsers} from {@code at} for {@code length}, then
   * {@code baseUsers} again, stopping after {@code total}.
   */
  static LoadShape spike(int baseUsers, int peakUsers, Duration at, Duration length, Duration total) {
    return elapsed -> {
      if (elapsed.compareTo(total) >= 0) {
        return null;
      }
      boolean inSpike = elapsed.compareTo(at) >= 0 && elapsed.compareTo(at.plus(length)) < 0;
      int users = inSpike ? peakUsers : baseUsers;
      return Target.users(users, Math.max(1, Math.abs(peakUsers - baseUsers)));
    };
  }
}
