package dev.stampede.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class UserThreadsFallbackTest {

  @Test
  void aLoopThatDoesNotAnswerItsSelfTestFallsBackToTheJdksSchedulerAndSaysSo() throws Exception {
    Assumptions.assumeTrue(UserThreads.available(), "carrier loops");
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    try (UserThreads threads = UserThreads.start(2, loop -> false, warnings::add)) {
      assertThat(threads.nextLoop()).isNull();
      AtomicBoolean ran = new AtomicBoolean();
      Thread user = UserThreads.unstarted(threads.nextLoop(), "user-0", () -> ran.set(true));
      user.start();
      user.join();
      assertThat(ran).isTrue();
    }
    assertThat(warnings).singleElement().asString()
        .startsWith("users run on the JDK's scheduler for this run: carrier loop")
        .contains("did not run a virtual thread within 10 s");
  }

  @Test
  void aHealthyLoopAnswersItsSelfTest() {
    Assumptions.assumeTrue(UserThreads.available(), "carrier loops");
    List<String> warnings = new ArrayList<>();
    try (UserThreads threads = UserThreads.start(1, UserThreads::answers, warnings::add)) {
      assertThat(threads.nextLoop()).isNotNull();
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theJdkSchedulerAskedForIsNotWarnedAbout() {
    Assumptions.assumeTrue("jdk".equals(System.getProperty("stampede.scheduler")), "-Dstampede.scheduler=jdk");
    List<String> warnings = new ArrayList<>();
    try (UserThreads threads = UserThreads.start(1, loop -> true, warnings::add)) {
      assertThat(threads.nextLoop()).isNull();
    }
    assertThat(warnings).isEmpty();
  }
}
