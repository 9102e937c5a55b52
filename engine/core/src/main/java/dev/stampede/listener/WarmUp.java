package dev.stampede.listener;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives a listener's per-result path with synthetic results before the load starts, for
 * {@link Listener#warmUp}: a listener runs its {@code onResults} code on a throw-away copy that
 * exports nothing, so that the JIT compiles that code while the cores are free, rather than in the
 * first seconds of the run, on the cores the users need (decision 0010).
 *
 * <p>The batches look like the engine's: {@value #BATCH} results, mostly runs of one endpoint with some
 * interleaving of three, 2% failures, response times from 0.1 to 50 ms and varied sizes, so the
 * compiled code has seen the branches a run takes (a branch never taken while warming is compiled
 * as a trap, and taking it later costs a recompilation). They are {@link ArrayList}s, as the bus's
 * batches are: a list of another class would leave the loops compiled for a type the run never
 * passes.
 */
public final class WarmUp {

  /**
   * Results per synthetic batch. The bus hands over a few dozen to a few hundred at a time; small
   * batches call {@code onResults} itself often enough (some thousands of times) for it to be
   * compiled whole, not only its loop.
   */
  public static final int BATCH = 64;
  /**
   * Results fed at most. The optimising compiler takes a method after some 10,000 calls or loop
   * iterations; a few hundred thousand results get every method of the path there and keep it hot
   * while the compiler works on it (one more compilation's worth of results after the last).
   */
  public static final long MAX_RESULTS = 400_000;
  /** Fresh copies the results are fed to, one after the other (see {@link #run}). */
  public static final int ROUNDS = 3;

  private WarmUp() {}

  /**
   * Feeds synthetic batches to {@link #ROUNDS} fresh copies in turn, each a share of
   * {@link #MAX_RESULTS} results, until they are fed or {@code budget} has passed. A fresh copy
   * (one with no endpoint and no histogram bucket yet) in the later rounds makes the lookups miss
   * again after the first compilation: code compiled while every lookup hit treats a miss as a
   * trap, and the run's first results, all misses, would throw it away; the later rounds spring
   * those traps here, and the code is compiled again knowing both.
   *
   * @param copies makes a fresh throw-away copy and returns its {@code onResults}
   * @return the results fed
   */
  public static long run(Duration budget, Supplier<Consumer<List<RequestResult>>> copies) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<List<RequestResult>> batches = batches();
    long fed = 0;
    for (int round = 1; round <= ROUNDS && System.nanoTime() - deadline < 0; round++) {
      Consumer<List<RequestResult>> onResults = copies.get();
      for (int i = 0; fed < MAX_RESULTS * round / ROUNDS && System.nanoTime() - deadline < 0; i++) {
        onResults.accept(batches.get(i % batches.size()));
        fed += BATCH;
      }
    }
    return fed;
  }

  /** Eight distinct batches of {@link #BATCH} synthetic results, each an {@link ArrayList}. */
  static List<List<RequestResult>> batches() {
    SplittableRandom random = new SplittableRandom(10);
    String[] names = {"/warm-up/0", "/warm-up/1", "/warm-up/2"};
    List<List<RequestResult>> batches = new ArrayList<>();
    int endpoint = 0;
    for (int b = 0; b < 8; b++) {
      List<RequestResult> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        if (random.nextInt(8) == 0) {
          endpoint = random.nextInt(3);
        }
        long nanos = (long) (100_000 * Math.pow(500, random.nextDouble() * random.nextDouble()));
        boolean failed = random.nextInt(50) == 0;
        batch.add(new RequestResult(i, endpoint == 2 ? "POST" : "GET", names[endpoint], nanos,
            failed ? 0 : 100 + random.nextInt(2_000), failed ? 503 : 200, failed ? "HTTP 503" : null, Map.of()));
      }
      batches.add(batch);
    }
    return batches;
  }
}
