package dev.stampede.testkit;

import dev.stampede.carrier.UserThreads;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs each test method on a virtual thread of a {@link dev.stampede.carrier.CarrierLoop}, where a
 * load test runs its users, so that a test class written for plain threads also covers the loop's
 * socket path: {@code @ExtendWith(OnCarrierLoop.class)} on a subclass.
 */
public final class OnCarrierLoop implements InvocationInterceptor {

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
      ExtensionContext extension) throws Throwable {
    // Before JDK 24 users run on the JDK's scheduler by design: nothing to test on a loop there.
    Assumptions.assumeTrue(Runtime.version().feature() >= 24, "carrier loops need JDK 24+");
    Assumptions.assumeFalse("jdk".equals(System.getProperty("stampede.scheduler")), "-Dstampede.scheduler=jdk");
    if (!UserThreads.available()) {
      throw new IllegalStateException("carrier loops are unavailable: tests need JDK 24+ and "
          + "--add-opens java.base/java.lang=ALL-UNNAMED (the build's surefire argLine)");
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (UserThreads threads = UserThreads.start(1)) {
      Thread test = UserThreads.unstarted(threads.nextLoop(), context.getExecutable().getName(), () -> {
        try {
          invocation.proceed();
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      test.start();
      test.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
