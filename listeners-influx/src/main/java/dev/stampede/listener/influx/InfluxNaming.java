package dev.stampede.listener.influx;

/**
 * Makes tag keys and values that InfluxDB stores exactly as given.
 *
 * <p>The client's {@link org.influxdb.dto.Point} escapes spaces, commas and equals signs in tags,
 * and InfluxDB 1.x's parser keeps every other character (backslashes, quotes, tabs, unicode), so
 * almost every name round-trips unchanged. Two things cannot be expressed in a line-protocol tag at
 * all: a line feed (it ends the line; InfluxDB keeps a backslash that would escape it) and a
 * backslash at the very end of a value (the parser takes it as escaping the comma or space after
 * it, and rejects the whole request). For those, and only those, this class writes the
 * percent-encoding a URL would use: {@code %0A} for a line feed, {@code %5C} for the final
 * backslash. The listener then also writes the exact name in the string field {@code endpoint}.
 * https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/#special-characters
 */
final class InfluxNaming {

  private InfluxNaming() {}

  /** {@code value} as a tag key or value InfluxDB stores unchanged, or its documented stand-in. */
  static String tag(String value) {
    if (!needsStandIn(value)) {
      return value;
    }
    String standIn = value.replace("\n", "%0A");
    if (standIn.endsWith("\\")) {
      standIn = standIn.substring(0, standIn.length() - 1) + "%5C";
    }
    return standIn;
  }

  /** Whether {@link #tag} would change {@code value}. */
  static boolean needsStandIn(String value) {
    return value.indexOf('\n') >= 0 || value.endsWith("\\");
  }
}
