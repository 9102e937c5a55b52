package dev.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.SequentialTaskSet;
import dev.stampede.Task;
import dev.stampede.User;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class TaskTableTest {

  static class Weighted extends User {
    @Task(1)
    void rare() {}

    @Task(3)
    void common() {}

    @Task(6)
    void frequent() {}
  }

  static class NoTasks extends User {
    void notATask() {}
  }

  static class ZeroWeight extends User {
    @Task(0)
    void never() {}
  }

  static class WithParameter extends User {
    @Task
    void needs(int x) {}
  }

  /** Explicit order against source order: the order must win. */
  static class Ordered extends SequentialTaskSet {
    @Task(order = 3)
    void pay() {}

    @Task(order = 1)
    void browse() {}

    @Task(order = 2)
    void addToCart() {}
  }

  static class Unordered extends SequentialTaskSet {
    @Task
    void second() {}

    @Task
    void first() {}
  }

  static class Mixed extends SequentialTaskSet {
    @Task(order = 1)
    void browse() {}

    @Task
    void pay() {}
  }

  static class SameOrder extends SequentialTaskSet {
    @Task(order = 1)
    void browse() {}

    @Task(order = 1)
    void search() {}

    @Task(order = 2)
    void pay() {}
  }

  static class NegativeOrder extends SequentialTaskSet {
    @Task(order = -5)
    void browse() {}
  }

  static class OrderOnAUser extends User {
    @Task(order = 1)
    void browse() {}
  }

  @Test
  void picksTasksInProportionToTheirWeights() {
    Tasks.TaskTable table = Tasks.table(Weighted.class);
    Map<String, Integer> picks = new HashMap<>();
    int draws = 200_000;
    for (int i = 0; i < draws; i++) {
      picks.merge(table.pick(ThreadLocalRandom.current()).label(), 1, Integer::sum);
    }
    // Binomial standard deviation at n=200,000 is under 0.12 percentage points; 0.6 points is five of them.
    assertThat(picks.get("Weighted.rare") / (double) draws).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.006));
    assertThat(picks.get("Weighted.common") / (double) draws).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.006));
    assertThat(picks.get("Weighted.frequent") / (double) draws).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.006));
  }

  @Test
  void keepsSourceOrderFromTheClassFile() {
    Tasks.TaskTable table = Tasks.table(Weighted.class);
    assertThat(table.entries()).extracting(Tasks.TaskTable.Entry::label)
        .containsExactly("Weighted.rare", "Weighted.common", "Weighted.frequent");
    assertThat(table.inOrder(4).label()).isEqualTo("Weighted.common");
  }

  @Test
  void rejectsClassesWithoutTasksAndBadDeclarations() {
    assertThatThrownBy(() -> Tasks.table(NoTasks.class)).hasMessageContaining("has no @Task method");
    assertThatThrownBy(() -> Tasks.table(ZeroWeight.class)).hasMessageContaining("must be >= 1 but was 0");
    assertThatThrownBy(() -> Tasks.table(WithParameter.class)).hasMessageContaining("without parameters");
  }

  @Test
  void runsSequentialTasksInTheirExplicitOrderRatherThanSourceOrder() {
    Tasks.TaskTable table = Tasks.table(Ordered.class);
    assertThat(table.entries()).extracting(Tasks.TaskTable.Entry::label)
        .containsExactly("Ordered.browse", "Ordered.addToCart", "Ordered.pay");
    assertThat(table.inOrder(3).label()).isEqualTo("Ordered.browse");
  }

  @Test
  void fallsBackToClassFileOrderWhenNoTaskGivesAnOrder() {
    assertThat(Tasks.table(Unordered.class).entries()).extracting(Tasks.TaskTable.Entry::label)
        .containsExactly("Unordered.second", "Unordered.first");
  }

  @Test
  void rejectsASetThatMixesOrderedAndUnorderedTasks() {
    assertThatThrownBy(() -> Tasks.table(Mixed.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("@Task order must be given to every task of " + Mixed.class.getName()
            + " or to none; with an order: browse; without: pay");
  }

  @Test
  void rejectsTwoTasksWithTheSameOrder() {
    assertThatThrownBy(() -> Tasks.table(SameOrder.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("@Task order 1 of " + SameOrder.class.getName() + " is given to more than one task: ")
        .hasMessageContainingAll("browse", "search")
        .hasMessageNotContaining("pay");
  }

  @Test
  void rejectsANegativeOrderAndAnOrderOutsideASequentialSet() {
    assertThatThrownBy(() -> Tasks.table(NegativeOrder.class))
        .hasMessage("@Task order of " + NegativeOrder.class.getName() + ".browse must be >= 0 but was -5");
    assertThatThrownBy(() -> Tasks.table(OrderOnAUser.class))
        .hasMessage("@Task order applies only to a SequentialTaskSet, but " + OrderOnAUser.class.getName()
            + " is not one and gives an order to browse");
  }

  @Test
  void readsMethodOrderOfAClassFile() {
    assertThat(ClassFileOrder.methodNames(Weighted.class)).containsSubsequence("rare", "common", "frequent");
  }
}
