package dev.stampede.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
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
  void aUserThreadThatSettlesRunsOnOnItsLoop() throws Exception {
    try (UserThreads threads = UserThreads.start(1)) {
      CarrierLoop loop = threads.nextLoop();
      AtomicBoolean ranOnLoop = new AtomicBoolean();
      Thread user = UserThreads.unstarted(loop, "user-0", () -> {
        UserThreads.settleBaseFrames();
        ranOnLoop.set(loop == null || CarrierLoop.current() == loop);
      });
      user.start();
      user.join();

      assertThat(ranOnLoop).isTrue();
    }
  }
}
