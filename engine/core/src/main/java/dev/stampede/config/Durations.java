package dev.stampede.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the durations users type: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  private Durations() {}

  /**
   * Parses {@code text}: one or more number-unit pairs ({@code ms}, {@code s}, {@code m}, {@code h});
   * a bare number means seconds.
   *
   * @throws IllegalArgumentException with a message that states the accepted form
   */
  public static Duration parse(String text) {
    String trimmed = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (trimmed.matches("\\d+(\\.\\d+)?")) {
      return Duration.ofNanos(Math.round(Double.parseDouble(trimmed) * 1e9));
    }
    Matcher matcher = PART.matcher(trimmed);
    long nanos = 0;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        break;
      }
      double amount = Double.parseDouble(matcher.group(1));
      double unitNanos = switch (matcher.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      nanos += Math.round(amount * unitNanos);
      end = matcher.end();
    }
    if (end == 0 || end != trimmed.length()) {
      throw new IllegalArgumentException(
          "must be a duration like 500ms, 30s, 5m, 1h or 1h30m");
    }
    return Duration.ofNanos(nanos);
  }

  /** A short form for messages and tables: {@code 1h02m03s}, {@code 45s}, {@code 250ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = duration.toSeconds();
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    if (h > 0) {
      return String.format("%dh%02dm%02ds", h, m, s);
    }
    if (m > 0) {
      return String.format("%dm%02ds", m, s);
    }
    return s + "s";
  }
}
