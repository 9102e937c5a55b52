package dev.stampede.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page template with {@code {{name}}} slots, filled in one pass: text put into a slot is never
 * scanned for further slots, so data cannot inject template syntax.
 */
final class HtmlTemplate {

  private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z_]+)}}");

  private final String name;
  private final String text;

  private HtmlTemplate(String name, String text) {
    this.name = name;
    this.text = text;
  }

  static HtmlTemplate load(String resource) {
    try (InputStream in = HtmlTemplate.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return new HtmlTemplate(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The template with every slot replaced; a slot without a value is a bug in the caller. */
  String render(Map<String, String> values) {
    Matcher matcher = SLOT.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + values.values().stream().mapToInt(String::length).sum());
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalStateException(name + " has slot " + matcher.group(1) + " but no value was given");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Text for an element's content or a quoted attribute. */
  static String escapeText(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Bundled script text; it must not contain the end tag of its element. */
  static String inScript(String code) {
    return checked(code, "</script", "script");
  }

  /** Bundled style text; it must not contain the end tag of its element. */
  static String inStyle(String css) {
    return checked(css, "</style", "style");
  }

  /** Text for an HTML comment. */
  static String inComment(String text) {
    return text.replace("--", "- -");
  }

  private static String checked(String content, String endTag, String element) {
    if (content.toLowerCase(Locale.ROOT).contains(endTag)) {
      throw new IllegalStateException("bundled " + element + " text contains " + endTag + " and cannot be inlined");
    }
    return content;
  }
}
