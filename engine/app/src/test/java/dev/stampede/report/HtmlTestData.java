package dev.stampede.report;

import dev.stampede.EndpointStats;
import dev.stampede.ExportReport;
import dev.stampede.FailureStats;
import dev.stampede.Percentiles;
import dev.stampede.RunInfo;
import dev.stampede.Summary;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.Verdict;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.stats.HistoryPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run built by hand for report tests: two endpoints, one of them named like an attack
 * on the page, a failure whose error text holds markup, hostile tags, 30 s of history, a listener
 * and two KPI verdicts.
 */
public final class HtmlTestData {

  /** An endpoint name that would run script if a page put it into HTML unescaped. */
  public static final String HOSTILE_NAME = "/search?q=</script><script>window.pwned=1</script>";
  /** An error text with markup and quotes. */
  public static final String HOSTILE_ERROR = "HTTP 500: <img src=x onerror=\"window.pwned=2\"> & 'quotes'";
  /** A tag value that would end a script element and open an HTML comment. */
  public static final String HOSTILE_TAG = "</script><!-- \u2028 {{data}}";
  public static final Instant STARTED = Instant.parse("2026-11-23T09:00:00Z");
  public static final int HISTORY_POINTS = 30;

  private HtmlTestData() {}

  public static RunOutcome outcome() {
    RunInfo run = new RunInfo("rel-42", "gen-1", "http://127.0.0.1:8080", "ShopUser",
        tags(), STARTED);
    EndpointStats items = stats("GET", "/items", 1_200, 0, 4);
    EndpointStats search = stats("GET", HOSTILE_NAME, 300, 30, 20);
    EndpointStats total = stats("", EndpointStats.TOTAL_NAME, 1_500, 30, 20);
    List<FailureStats> failures = List.of(new FailureStats("GET", HOSTILE_NAME, HOSTILE_ERROR, 30,
        STARTED.toEpochMilli() + 1_000, STARTED.toEpochMilli() + 29_000));
    Summary summary = new Summary(run, run.startedAt(), Duration.ofSeconds(HISTORY_POINTS), 10, List.of(items, search), total, failures, 0);
    List<HistoryPoint> history = new ArrayList<>();
    for (int i = 1; i <= HISTORY_POINTS; i++) {
      int users = Math.min(10, i);
      double rps = 5.0 * users;
      history.add(new HistoryPoint(STARTED.toEpochMilli() + i * 1_000L, 1, users, rps, i % 3 == 0 ? 2 : 0,
          percentiles(4 + i % 5), (long) (rps * i), i / 3 * 2L));
    }
    ListenerDelivery delivery = new ListenerDelivery("prometheus", 1_500, 0, 0,
        new ExportReport(0, Map.of("pushes", 30)));
    return new RunOutcome(summary, List.of(delivery), history, Map.of("ShopUser.browse: IllegalStateException: <b>bug</b>", 2L),
        false, null);
  }

  /** {@link #outcome()} with {@code cancelled} requests cut short by the stop. */
  public static RunOutcome outcomeCancellingAtStop(long cancelled) {
    RunOutcome outcome = outcome();
    Summary s = outcome.summary();
    return new RunOutcome(new Summary(s.run(), s.statisticsFrom(), s.duration(), s.peakUsers(), s.endpoints(),
        s.total(), s.failures(), s.droppedIterations(), cancelled), outcome.deliveries(), outcome.history(),
        outcome.taskErrors(), false, null);
  }

  public static List<KpiRow> kpis() {
    return List.of(
        new KpiRow("p95 of GET /items", "9.5 ms", "< 300 ms", Verdict.Status.PASSED, ""),
        new KpiRow("error rate", "2 %", "< 1 %", Verdict.Status.FAILED, "30 of 1500 requests failed"));
  }

  private static Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("env", "staging");
    tags.put("note", HOSTILE_TAG);
    return tags;
  }

  private static EndpointStats stats(String method, String name, long count, long failures, double p50) {
    return new EndpointStats(method, name, count, failures, count / 30.0, count / 30.0, failures / 30.0, p50 * 1.1,
        p50 / 4, p50 * 12, count * 512, percentiles(p50));
  }

  private static Percentiles percentiles(double p50) {
    double[] values = new double[Percentiles.REPORTED.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = p50 * (1 + i * 0.4 + (i >= 8 ? i : 0));
    }
    return new Percentiles(values);
  }
}
