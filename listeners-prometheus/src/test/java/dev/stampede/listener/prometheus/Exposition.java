package dev.stampede.listener.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parser for the Prometheus text exposition format (0.0.4), enough to read back what the listener
 * serves: sample lines with label values unescaped ({@code \\}, {@code \"}, {@code \n}).
 */
final class Exposition {

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private Exposition(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line));
    }
    return new Exposition(samples);
  }

  List<Sample> samples() {
    return samples;
  }

  /** Samples named {@code name} whose labels include every entry of {@code labels}. */
  List<Sample> find(String name, Map<String, String> labels) {
    Predicate<Sample> matches = s -> s.name().equals(name)
        && labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())));
    return samples.stream().filter(matches).toList();
  }

  /** The sum of the values of {@link #find}. */
  double sum(String name, Map<String, String> labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  private static Sample parseLine(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        i = eq + 1;
        if (line.charAt(i) != '"') {
          throw new IllegalArgumentException("expected a quote at " + i + " in " + line);
        }
        i++;
        StringBuilder value = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i);
          if (c == '\\') {
            char next = line.charAt(++i);
            value.append(switch (next) {
              case 'n' -> '\n';
              case '\\' -> '\\';
              case '"' -> '"';
              default -> throw new IllegalArgumentException("bad escape \\" + next + " in " + line);
            });
          } else {
            value.append(c);
          }
          i++;
        }
        i++;
        labels.put(key, value.toString());
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    return new Sample(name, labels, parseValue(rest[0]));
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
