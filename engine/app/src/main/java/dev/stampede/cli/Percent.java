package dev.stampede.cli;

import dev.stampede.config.ConfigException;

/** Percentages as users type them on the command line: {@code 10%} or {@code 10}. */
final class Percent {

  private Percent() {}

  /**
   * Parses {@code text} as a percentage ({@code 10%} and {@code 10} both mean ten percent).
   *
   * @param option the option name, for the message
   * @throws ConfigException when it is not a number >= 0
   */
  static double parse(String text, String option) {
    String t = text.strip();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    try {
      double value = Double.parseDouble(t);
      if (value >= 0 && !Double.isInfinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(option + " must be a percentage >= 0 such as 10% but was '" + text + "'");
  }
}
