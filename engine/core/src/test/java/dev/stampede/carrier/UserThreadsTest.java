package dev.stampede.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suite runs twice (run-tests): with carrier loops, and with {@code -Dstampede.scheduler=jdk}.
 * The first test says which mode this JVM is in and fails if it is the wrong one; each of the others
 * runs in its mode and shows as skipped in the other, never as a pass that checked nothing.
 */
@Timeout(60)
class UserThreadsTest {

  private static final boolean JDK_SCHEDULER_ASKED = "jdk".equals(System.getProperty("stampede.scheduler"));

  @Test
  void usersRunOnCarrierLoopsInTheTestJvmFromJdk24OnUnlessTheJdkSchedulerIsAsked() {
    // Surefire passes --add-opens java.base/java.lang, as the launcher does; without it, or with a
    // renamed JDK hook, users would silently fall back to the JDK's scheduler.
    assertThat(UserThreads.available())
        .as("carrier loops on JDK %s with stampede.scheduler=%s", Runtime.version().feature(),
            System.getProperty("stampede.scheduler"))
        .isEqualTo(Runtime.version().feature() >= 24 && !JDK_SCHEDULER_ASKED);
  }

  @Test
  void aUserThreadThatSettlesRunsOnOnItsLoop() throws Exception {
    assumeTrue(UserThreads.available(), "carrier loops are off in this JVM (the JDK scheduler run)");
    try (UserThreads threads = UserThreads.start(1)) {
      CarrierLoop loop = threads.nextLoop();
      Ran ran = runSettlingUserOn(loop);

      assertThat(ran.virtual()).isTrue();
      assertThat(loop).isNotNull();
      assertThat(ran.loop()).as("the loop the user was given").isSameAs(loop);
    }
  }

  @Test
  void onTheJdkSchedulerUsersAreVirtualThreadsWithoutALoop() throws Exception {
    assumeFalse(UserThreads.available(), "carrier loops are on in this JVM");
    try (UserThreads threads = UserThreads.start(2)) {
      CarrierLoop loop = threads.nextLoop();
      Ran ran = runSettlingUserOn(loop);

      assertThat(loop).as("no loops on the JDK's scheduler").isNull();
      assertThat(ran.virtual()).isTrue();
      assertThat(ran.loop()).isNull();
    }
  }

  /** Where a user thread that settled ran: whether it was virtual, and its loop. */
  private record Ran(boolean virtual, CarrierLoop loop) {}

  private static Ran runSettlingUserOn(CarrierLoop loop) throws InterruptedException {
    AtomicReference<Ran> ran = new AtomicReference<>();
    Thread user = UserThreads.unstarted(loop, "user-0", () -> {
      UserThreads.settleBaseFrames();
      ran.set(new Ran(Thread.currentThread().isVirtual(), CarrierLoop.current()));
    });
    user.start();
    user.join();
    assertThat(ran.get()).as("the user ran").isNotNull();
    return ran.get();
  }
}
