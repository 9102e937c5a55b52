package dev.stampede;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many users of this class are spawned relative to the other user classes of a scenario, >= 1.
 * A user class without it has weight 1.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Weight {

  /** The weight, >= 1. */
  int value();
}
