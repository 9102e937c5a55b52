package dev.stampede.listener.influx;

/**
 * Makes tag keys and values that InfluxDB stores exactly as given.
 *
 * <p>The client's {@link org.influxdb.dto.Point} escapes spaces, commas and equals signs in tags,
 * and InfluxDB 1.x's parser keeps every other character, backslashes and quotes included, so almost
 * every name round-trips unchanged. Two things cannot be expressed in a line-protocol tag at all:
 * a line feed (it ends the line, and InfluxDB keeps a backslash that would escape it), and an odd
 * number of backslashes at the end of a value or right before a space, comma, equals sign or line
 * feed (InfluxDB's parser pairs backslashes, so the last one would escape the character after it).
 * For those, and only those, this class writes a visible stand-in: a line feed becomes the two
 * characters {@code \n}, and such a run of backslashes gets one more. The listener then also writes
 * the exact name in the string field {@code endpoint}, so nothing is lost.
 * https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/#special-characters
 */
final class InfluxNaming {

  private InfluxNaming() {}

  /** {@code value} as a tag key or value InfluxDB stores unchanged, or its documented stand-in. */
  static String tag(String value) {
    if (!needsStandIn(value)) {
      return value;
    }
    StringBuilder sb = new StringBuilder(value.length() + 8);
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '\\') {
        int run = runOfBackslashes(value, i);
        sb.append(value, i, i + run);
        if (run % 2 == 1 && endsTagToken(value, i + run)) {
          sb.append('\\');
        }
        i += run;
      } else {
        sb.append(c == '\n' ? "\\n" : String.valueOf(c));
        i++;
      }
    }
    return sb.toString();
  }

  /** Whether {@link #tag} would change {@code value}. */
  static boolean needsStandIn(String value) {
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '\n') {
        return true;
      }
      if (c == '\\') {
        int run = runOfBackslashes(value, i);
        if (run % 2 == 1 && endsTagToken(value, i + run)) {
          return true;
        }
        i += run;
      } else {
        i++;
      }
    }
    return false;
  }

  private static int runOfBackslashes(String value, int from) {
    int end = from;
    while (end < value.length() && value.charAt(end) == '\\') {
      end++;
    }
    return end - from;
  }

  /** Whether the character at {@code index} (or the end of the value) would be taken as escaped. */
  private static boolean endsTagToken(String value, int index) {
    if (index >= value.length()) {
      return true;
    }
    char next = value.charAt(index);
    return next == ' ' || next == ',' || next == '=' || next == '\n';
  }
}
