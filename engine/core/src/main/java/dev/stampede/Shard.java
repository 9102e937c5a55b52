package dev.stampede;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This process's part of a distributed run: shard {@code index} of {@code count}, covering the
 * segment [index/count, (index+1)/count) of the whole load, as k6's execution segments do.
 *
 * <p>Every quantity is split by the segment's boundaries, so the shards' parts always sum to the
 * whole: a whole number {@code q} gives shard {@code i} the part
 * {@code ceil(q*(i+1)/n) - ceil(q*i/n)} (10 users on 3 shards: 4, 3, 3), a rate gives it
 * {@code r*(i+1)/n - r*i/n} (7.5/s on 3 shards: 2.5/s each). A scenario reads its shard with
 * {@code shard()} in a {@link User}, e.g. to take its own slice of test data:
 * {@code shard().part(accounts.size())} accounts starting at {@code shard().first(accounts.size())}.
 *
 * @param index this shard, 0-based, in [0, count)
 * @param count how many shards the run has, >= 1
 */
public record Shard(int index, int count) {

  private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

  /** The whole run in one process: shard 0 of 1, which splits nothing. */
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be >= 1 but was " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard index must be in [0, " + count + ") but was " + index);
    }
  }

  /**
   * Parses {@code "I/N"}, e.g. {@code 2/3}.
   *
   * @throws IllegalArgumentException naming the text and the rule
   */
  public static Shard parse(String text) {
    Matcher m = SPEC.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("shard must be I/N with 0 <= I < N, e.g. 0/3, but was \"" + text + "\"");
    }
    try {
      return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shard must be I/N with 0 <= I < N, e.g. 0/3, but was \"" + text + "\"");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("shard " + text.trim() + ": " + e.getMessage());
    }
  }

  /** Whether this is the whole run (one shard). */
  public boolean whole() {
    return count == 1;
  }

  /** This shard's part of a whole number {@code total} >= 0; the parts of all shards sum to it. */
  public long part(long total) {
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0 but was " + total);
    }
    return first(total, index + 1) - first(total, index);
  }

  /** This shard's part of a whole number {@code total} >= 0, as an int. */
  public int part(int total) {
    return (int) part((long) total);
  }

  /** Where this shard's part of {@code total} items begins (0-based): the parts of lower shards. */
  public long first(long total) {
    return first(total, index);
  }

  /** This shard's part of a rate (per second) >= 0; the parts of all shards sum to it. */
  public double part(double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be >= 0 but was " + rate);
    }
    if (whole()) {
      return rate;
    }
    return rate * (index + 1) / count - rate * index / count;
  }

  /** {@code "I/N"}. */
  @Override
  public String toString() {
    return index + "/" + count;
  }

  private long first(long total, int segmentStart) {
    // ceil(total * start / count) without overflow for any realistic total.
    return Math.ceilDiv(Math.multiplyExact(total, (long) segmentStart), (long) count);
  }
}
