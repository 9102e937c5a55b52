package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.SequentialTaskSet;
import dev.stampede.Task;
import dev.stampede.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadTest#checkTaskSets} finds the task sets a user's code can run before any load. The
 * classes are top-level: a nested class's class file names the class it is nested in, which would
 * bring in every other class nested there.
 */
class TaskSetCheckTest {

  @Test
  void findsAWronglyDeclaredSetThatAUsersCodeReachesThroughAHelperAndALambda() {
    assertThatThrownBy(() -> LoadTest.checkTaskSets(List.of(CheckedWellUser.class, CheckedHelperUser.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("@Task order 1 of " + CheckedTwiceOrdered.class.getName()
            + " is given to more than one task: cart, pay");
  }

  @Test
  void acceptsUsersWhoseSetsAreWellDeclared() {
    LoadTest.checkTaskSets(List.of(CheckedWellUser.class));

    assertThat(ClassFileOrder.referencedClassNames(CheckedWellUser.class)).contains(CheckedSteps.class.getName());
  }
}

class CheckedSteps extends SequentialTaskSet {
  @Task(order = 2)
  void pay() {}

  @Task(order = 1)
  void cart() {}
}

class CheckedTwiceOrdered extends SequentialTaskSet {
  @Task(order = 1)
  void cart() {}

  @Task(order = 1)
  void pay() {}
}

final class CheckedHelper {
  private CheckedHelper() {}

  static void checkout(User user) {
    Runnable later = () -> new CheckedTwiceOrdered();
    later.run();
  }
}

class CheckedHelperUser extends User {
  @Task
  void checkout() {
    CheckedHelper.checkout(this);
  }
}

class CheckedWellUser extends User {
  @Task
  void flow() {
    run(new CheckedSteps());
  }
}
