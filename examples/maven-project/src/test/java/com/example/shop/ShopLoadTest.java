package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stampede.junit.LoadTestResult;
import dev.stampede.junit.Stampede;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The same scenario as a unit test: a missed KPI fails this test with the verdict table. */
class ShopLoadTest {

  @Test
  void itemsStayFastUnderLoad() throws Exception {
    try (Shop shop = Shop.start(0)) {
      LoadTestResult result = Stampede.loadTest(ShopScenario.class)
          .host(shop.url()).users(2).runTime(Duration.ofSeconds(1)).stopTimeout(Duration.ofSeconds(10))
          .kpi("GET /items/[id]", "error_rate", 0).kpi("GET /items/[id]", "p95", "2s")
          .run()
          .assertKpisMet();
      assertTrue(result.summary().total().count() > 0);
    }
  }
}
