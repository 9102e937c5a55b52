package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.Summary;
import dev.stampede.engine.StartDrops;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

  private static Summary dropping(long dropped) {
    Summary base = HtmlTestData.outcome().summary();
    return new Summary(base.run(), base.statisticsFrom(), base.duration(), base.peakUsers(), base.endpoints(),
        base.total(), base.failures(), dropped);
  }

  @Test
  void suggestsAWarmUpWhenMostDropsFellInTheFirstSeconds() {
    String hint = SummaryTable.startDropsHint(dropping(713), new StartDrops(690, Duration.ofSeconds(3)));

    assertThat(hint).startsWith("690 of the 713 dropped iterations were due in the first 3 s: a cold start")
        .contains("--warmup");
  }

  @Test
  void saysNothingWhenDropsAreSpreadOverTheRun() {
    assertThat(SummaryTable.startDropsHint(dropping(700), new StartDrops(140, Duration.ofSeconds(3)))).isEmpty();
    assertThat(SummaryTable.startDropsHint(dropping(0), StartDrops.NONE)).isEmpty();
  }
}
