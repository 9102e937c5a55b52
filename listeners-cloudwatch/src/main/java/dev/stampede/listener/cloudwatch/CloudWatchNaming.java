package dev.stampede.listener.cloudwatch;

import dev.stampede.support.Sha256;

/**
 * Makes dimension values acceptable to CloudWatch without merging endpoints that differ.
 *
 * <p>The API accepts 1 to 1,024 ASCII characters with at least one that is not whitespace, and no
 * control characters. Endpoint names are user text ({@code /unicodé}, {@code /new\nline}), so
 * {@link #dimensionValue} escapes instead of replacing: every character outside printable ASCII
 * becomes {@code \}{@code uXXXX} (its UTF-16 code units) and a backslash becomes {@code \\}, which
 * keeps distinct names distinct. A value that would exceed the limit keeps its first characters
 * and ends with {@code ~} and 12 hex digits of its SHA-256, still distinct with overwhelming odds.
 */
final class CloudWatchNaming {

  /**
   * The longest dimension value.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
   */
  static final int MAX_DIMENSION_VALUE_LENGTH = 1024;

  /** What an empty or all-whitespace value becomes (the API needs a non-whitespace character). */
  static final String BLANK_VALUE = "(blank)";

  private static final int HASH_HEX_DIGITS = 12;

  private CloudWatchNaming() {}

  /** {@code value} escaped and, when needed, shortened to the API's rules for dimension values. */
  static String dimensionValue(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        escaped.append("\\\\");
      } else if (c < 0x20 || c > 0x7e) {
        escaped.append(String.format("\\u%04X", (int) c));
      } else {
        escaped.append(c);
      }
    }
    String result = escaped.toString();
    if (result.isBlank()) {
      return result.isEmpty() ? BLANK_VALUE : BLANK_VALUE + result.length();
    }
    if (result.length() > MAX_DIMENSION_VALUE_LENGTH) {
      String suffix = "~" + Sha256.hex(value).substring(0, HASH_HEX_DIGITS);
      result = result.substring(0, MAX_DIMENSION_VALUE_LENGTH - suffix.length()) + suffix;
    }
    return result;
  }
}
