package dev.stampede.engine;

import dev.stampede.FixedCount;
import dev.stampede.Shard;
import dev.stampede.User;
import dev.stampede.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the class of each user spawned, in spawn order: users of {@link FixedCount} classes
 * first, then the weighted classes interleaved in proportion to their {@link Weight} (smooth
 * weighted round-robin), so a ramp-up has the same mix at every moment.
 */
final class UserMix {

  private final List<Class<? extends User>> fixed = new ArrayList<>();
  private final List<Class<? extends User>> weighted = new ArrayList<>();
  private final int[] weights;
  private final long[] current;
  private final int weightSum;
  private int spawned;

  UserMix(List<Class<? extends User>> classes) {
    this(classes, Shard.WHOLE);
  }

  /** The mix of one shard: each {@link FixedCount} is split to the shard's part. */
  UserMix(List<Class<? extends User>> classes, Shard shard) {
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("classes must not be empty");
    }
    List<Integer> weightList = new ArrayList<>();
    for (Class<? extends User> type : classes) {
      FixedCount fixedCount = type.getAnnotation(FixedCount.class);
      if (fixedCount != null) {
        if (fixedCount.value() < 0) {
          throw new IllegalArgumentException("@FixedCount of " + type.getName() + " must be >= 0 but was " + fixedCount.value());
        }
        for (int i = 0; i < shard.part(fixedCount.value()); i++) {
          fixed.add(type);
        }
      } else {
        Weight weight = type.getAnnotation(Weight.class);
        int value = weight == null ? 1 : weight.value();
        if (value < 1) {
          throw new IllegalArgumentException("@Weight of " + type.getName() + " must be >= 1 but was " + value);
        }
        weighted.add(type);
        weightList.add(value);
      }
    }
    weights = weightList.stream().mapToInt(Integer::intValue).toArray();
    current = new long[weights.length];
    weightSum = weightList.stream().mapToInt(Integer::intValue).sum();
  }

  /** The class of the next user, or {@code null} when only fixed-count classes exist and all are spawned. */
  Class<? extends User> next() {
    if (spawned < fixed.size()) {
      return fixed.get(spawned++);
    }
    if (weighted.isEmpty()) {
      return null;
    }
    spawned++;
    int best = 0;
    for (int i = 0; i < weights.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= weightSum;
    return weighted.get(best);
  }
}
