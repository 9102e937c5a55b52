package dev.stampede.engine;

/**
 * Makes the text of a result (method, endpoint name, failure message) safe for every output, once,
 * where results enter the engine ({@link UserSink}): statistics, listeners, hooks, JSON, CSV, HTML
 * and the requests log then all see the same string.
 *
 * <p>A Java string may hold a lone UTF-16 surrogate ({@code "lone\uD800"}), which no UTF-8 encoder
 * accepts: strict writers throw ("Input length = 1"), lenient ones write '?' and others U+FFFD, so
 * each output would disagree or fail on its own. Each lone surrogate becomes U+FFFD, the
 * replacement character, here; valid pairs are kept.
 */
public final class ResultNames {

  /** What a lone surrogate becomes. */
  public static final char REPLACEMENT = '\uFFFD';

  private ResultNames() {}

  /** {@code text} with every lone surrogate replaced by U+FFFD; the same instance when it has none. */
  public static String sanitize(String text) {
    if (text == null) {
      return null;
    }
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return replaceFrom(text, i);
      }
    }
    return text;
  }

  private static String replaceFrom(String text, int from) {
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, from);
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }
}
