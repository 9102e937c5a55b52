package dev.stampede.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class UserThreadsTest {

  @Test
  void theLauncherKeepsTheSettlingMethodInterpretedByItsCurrentName() throws Exception {
    // A rename would silently drop the memory saving: the JVM ignores a CompileCommand for a method
    // that does not exist.
    String launcher = Files.readString(Path.of("..", "..", "stampede"));
    String method = UserThreads.class.getName() + "::" + UserThreads.class.getMethod("settleBaseFrames").getName();

    assertThat(launcher).contains("-XX:CompileCommand=exclude," + method);
  }

  @Test
  void usersRunOnCarrierLoopsInTheTestJvmFromJdk24On() {
    // Surefire passes --add-opens java.base/java.lang, as the launcher does; without it, or with a
    // renamed JDK hook, users would silently fall back to the JDK's scheduler.
    assertThat(UserThreads.available())
        .as("carrier loops on JDK %s with stampede.scheduler=%s", Runtime.version().feature(),
            System.getProperty("stampede.scheduler"))
        .isEqualTo(Runtime.version().feature() >= 24 && System.getProperty("stampede.scheduler") == null);
  }

  @Test
  void aUserThreadThatSettlesRunsOnOnItsLoop() throws Exception {
    try (UserThreads threads = UserThreads.start(1)) {
      CarrierLoop loop = threads.nextLoop();
      AtomicReference<CarrierLoop> ranOn = new AtomicReference<>();
      AtomicBoolean virtual = new AtomicBoolean();
      Thread user = UserThreads.unstarted(loop, "user-0", () -> {
        UserThreads.settleBaseFrames();
        ranOn.set(CarrierLoop.current());
        virtual.set(Thread.currentThread().isVirtual());
      });
      user.start();
      user.join();

      assertThat(virtual).isTrue();
      if (UserThreads.available()) {
        assertThat(loop).isNotNull();
        assertThat(ranOn.get()).as("the loop the user was given").isSameAs(loop);
      } else {
        assertThat(loop).as("no loops on the JDK's scheduler").isNull();
        assertThat(ranOn.get()).isNull();
      }
    }
  }
}
