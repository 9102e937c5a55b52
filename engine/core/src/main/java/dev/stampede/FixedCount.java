package dev.stampede;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs exactly this many users of the class, whatever the total; they are spawned first and the
 * remaining users are shared among the other classes by {@link Weight}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FixedCount {

  /** The number of users, >= 0. */
  int value();
}
