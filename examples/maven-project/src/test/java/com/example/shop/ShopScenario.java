package com.example.shop;

import dev.stampede.Events;
import dev.stampede.Hooks;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The load test `mvn verify` runs: shoppers looking at items. */
public class ShopScenario extends User {

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(0.01, 0.05);
  }

  @Task
  void viewItem() {
    http().get("/items/" + random(1, 1000), o -> o.name("/items/[id]"));
  }

  /**
   * Starts the demo shop for the run on {@code -Dshop.port}. A real project's service runs
   * elsewhere (deployed, or started by the build) and this class is not needed.
   */
  public static class StartShop implements Hooks {
    private Shop shop;

    @Override
    public void register(Events events) {
      events.onInit(() -> {
        try {
          shop = Shop.start(Integer.getInteger("shop.port", 0));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start the demo shop", e);
        }
      });
      events.onTestStop(summary -> shop.close());
    }
  }
}
