package dev.stampede;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a no-argument method of a {@link User} or {@link TaskSet} as a task.
 *
 * <p>In a {@code User} or {@code TaskSet}, tasks are picked at random in proportion to their
 * weight. In a {@link SequentialTaskSet} they run one after the other, and the weight is ignored:
 * in ascending {@link #order()} when the tasks give one, which is the way to state the order,
 * otherwise in the order the compiler laid them out in the class file (source order with javac).
 *
 * <pre>{@code
 * class Checkout extends SequentialTaskSet {
 *   @Task(order = 1) void addToCart() { ... }
 *   @Task(order = 2) void pay() { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {

  /** The value of {@link #order()} when a task states no order. */
  int UNORDERED = -1;

  /** The task's weight relative to its siblings, >= 1. The default is 1. */
  int value() default 1;

  /**
   * The task's position in a {@link SequentialTaskSet}, >= 0: tasks run in ascending order, gaps
   * allowed. Either every task of a sequential set states an order or none does (then class-file
   * order applies), and no two tasks share one. Only sequential sets take an order; on a task of a
   * {@code User} or a weighted {@code TaskSet} it is an error. The default is {@link #UNORDERED}.
   */
  int order() default UNORDERED;
}
