package dev.stampede.merge;

import java.util.List;
import java.util.Locale;

/** The table of a merged run's shards: requests, failures and start skew, as text and in the HTML report. */
public final class ShardReport {

  private ShardReport() {}

  /** The shards as a text table for the console. */
  public static String text(List<ShardResult> shards) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-7s %-24s %12s %10s %14s%n", "Shard", "Instance", "Requests", "Failures",
        "Start skew ms"));
    for (ShardResult s : shards) {
      sb.append(String.format(Locale.ROOT, "%-7s %-24s %12d %10d %14s%n", s.shard(), s.instance(),
          s.histograms().total().count(), s.histograms().total().failures(), skew(s)));
    }
    return sb.toString();
  }

  /**
   * The report's page with a "Shards" section added before {@code </body>}: static, escaped HTML,
   * so the page's Content-Security-Policy still forbids every request.
   */
  public static String html(String page, List<ShardResult> shards, List<Integer> missing) {
    StringBuilder sb = new StringBuilder();
    sb.append("<section id=\"shards\"><h2>Shards</h2><table><thead><tr><th>Shard</th><th>Instance</th>")
        .append("<th>Requests</th><th>Failures</th><th>Start skew (ms)</th></tr></thead><tbody>");
    for (ShardResult s : shards) {
      sb.append("<tr><td>").append(escape(s.shard().toString())).append("</td><td>").append(escape(s.instance()))
          .append("</td><td>").append(s.histograms().total().count()).append("</td><td>")
          .append(s.histograms().total().failures()).append("</td><td>").append(escape(skew(s))).append("</td></tr>");
    }
    sb.append("</tbody></table>");
    if (!missing.isEmpty()) {
      sb.append("<p>Missing shards: ").append(escape(missing.toString())).append("</p>");
    }
    if (shards.stream().anyMatch(s -> !s.history().isEmpty())) {
      sb.append("<p>The charts sum the shards second by second (users, requests and failures per second);"
          + " they show no response times per second: percentiles of different shards cannot be added, and a"
          + " shard's result holds no per-second histograms. The statistics above are exact, from the merged"
          + " histograms.</p>");
    }
    sb.append("</section>\n");
    int end = page.lastIndexOf("</body>");
    return end < 0 ? page + sb : page.substring(0, end) + sb + page.substring(end);
  }

  private static String skew(ShardResult s) {
    return s.startSkew() == null ? "" : String.format(Locale.ROOT, "%.1f", s.startSkew().toNanos() / 1e6);
  }

  private static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
