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
 * weight. In a {@link SequentialTaskSet} they run in the order they are declared in the source,
 * and the weight is ignored.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {

  /** The task's weight relative to its siblings, >= 1. The default is 1. */
  int value() default 1;
}
