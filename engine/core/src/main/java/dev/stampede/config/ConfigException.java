package dev.stampede.config;

import java.util.List;

/**
 * Invalid usage or configuration: the command line turns it into one line of text and exit code 2.
 * Messages name the key, the value and the rule, and never contain a secret.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** One problem. */
  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** Every problem found at once, so users fix them in one go. */
  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems, one sentence each. */
  public List<String> problems() {
    return problems;
  }
}
