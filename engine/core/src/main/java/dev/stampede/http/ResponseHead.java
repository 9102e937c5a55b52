package dev.stampede.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status line and header fields of one response, kept as the bytes that arrived plus the
 * offsets of each name and value.
 *
 * <p>Why bytes: a load test reads hundreds of thousands of responses a second and looks at almost
 * none of their headers. Profiles showed a quarter of the client's Java time in making, trimming and
 * lower-casing one {@code String} per header line; here the framing headers are read from the bytes
 * by {@link Connection}, and a {@code String} is made only for a header somebody asks for.
 */
final class ResponseHead {

  static final ResponseHead EMPTY = new ResponseHead(new byte[0], 0, 0, new int[0], 0);

  private final byte[] bytes;
  private final int reasonStart;
  private final int reasonEnd;
  /** Per header: name start, name end, value start, value end (trimmed), offsets into bytes. */
  private final int[] spans;
  private final int count;

  ResponseHead(byte[] bytes, int reasonStart, int reasonEnd, int[] spans, int count) {
    this.bytes = bytes;
    this.reasonStart = reasonStart;
    this.reasonEnd = reasonEnd;
    this.spans = spans;
    this.count = count;
  }

  /** The reason phrase of the status line, empty when the server sent none. */
  String reason() {
    return latin1(reasonStart, reasonEnd);
  }

  /** The number of header fields. */
  int size() {
    return count;
  }

  /** The name of header {@code i}, in lower case. */
  String name(int i) {
    int start = spans[4 * i];
    int end = spans[4 * i + 1];
    char[] chars = new char[end - start];
    for (int j = start; j < end; j++) {
      chars[j - start] = toLower(bytes[j]);
    }
    return new String(chars);
  }

  /** The value of header {@code i}, without surrounding white space. */
  String value(int i) {
    return latin1(spans[4 * i + 2], spans[4 * i + 3]);
  }

  /** The first value of the header {@code name} (case-insensitive), or {@code null}. */
  String first(String name) {
    for (int i = 0; i < count; i++) {
      if (nameIs(i, name)) {
        return value(i);
      }
    }
    return null;
  }

  /** Every value of the header {@code name} (case-insensitive), in order; empty when none. */
  List<String> all(String name) {
    List<String> values = null;
    for (int i = 0; i < count; i++) {
      if (nameIs(i, name)) {
        if (values == null) {
          values = new ArrayList<>(2);
        }
        values.add(value(i));
      }
    }
    return values == null ? List.of() : values;
  }

  /** Every header, names in lower case, values in arrival order. */
  Map<String, List<String>> toMap() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.computeIfAbsent(name(i), k -> new ArrayList<>(1)).add(value(i));
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(map);
  }

  private boolean nameIs(int i, String name) {
    return equalsIgnoreCase(bytes, spans[4 * i], spans[4 * i + 1], name);
  }

  private String latin1(int start, int end) {
    return start >= end ? "" : new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
  }

  /** Whether {@code bytes[start, end)} is the ASCII text {@code text}, ignoring case. */
  static boolean equalsIgnoreCase(byte[] bytes, int start, int end, String text) {
    if (end - start != text.length()) {
      return false;
    }
    for (int j = start; j < end; j++) {
      char lower = toLower(bytes[j]);
      char c = text.charAt(j - start);
      // Callers mostly pass lower-case names: the first test settles those without a table lookup.
      if (lower != c && lower != Character.toLowerCase(c)) {
        return false;
      }
    }
    return true;
  }

  static char toLower(byte b) {
    char c = (char) (b & 0xff);
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
