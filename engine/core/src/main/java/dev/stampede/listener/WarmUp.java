package dev.stampede.listener;

import dev.stampede.Listener;
import dev.stampede.RequestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Drives a listener's per-result path with synthetic results before the load starts, for
 * {@link Listener#warmUp}: a listener runs its {@code onResults} code on a throw-away copy that
 * exports nothing, so that the JIT compiles that code while the cores are free, rather than in the
 * first seconds of the run, on the cores the users need (decision 0010).
 *
 * <p>The batches look like the engine's: 256 results, mostly runs of one endpoint with some
 * interleaving of three, 2% failures, response times from 0.1 to 50 ms and varied sizes, so the
 * compiled code has seen the branches a run takes (a branch never taken while warming is compiled
 * as a trap, and taking it later costs a recompilation).
 */
public final class WarmUp {

  /** Results per synthetic batch: a batch of the bus at a few hundred thousand results a second. */
  public static final int BATCH = 256;
  /**
   * Results fed at most. The optimising compiler takes a method after some 10,000 calls or loop
   * iterations; a few hundred thousand results get every method of the path there and keep it hot
   * while the compiler works on it (one more compilation's worth of results after the last).
   */
  public static final long MAX_RESULTS = 400_000;

  private WarmUp() {}

  /**
   * Feeds {@code onResults} synthetic batches until {@link #MAX_RESULTS} results or {@code budget}
   * have passed, whichever comes first.
   *
   * @return the results fed
   */
  public static long run(Duration budget, Consumer<List<RequestResult>> onResults) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<List<RequestResult>> batches = batches();
    long fed = 0;
    for (int i = 0; fed < MAX_RESULTS && System.nanoTime() - deadline < 0; i++) {
      onResults.accept(batches.get(i % batches.size()));
      fed += BATCH;
    }
    return fed;
  }

  /** Eight distinct batches of {@link #BATCH} synthetic results. */
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
      batches.add(List.copyOf(batch));
    }
    return batches;
  }
}
