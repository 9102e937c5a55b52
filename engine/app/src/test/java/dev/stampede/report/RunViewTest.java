package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.Percentiles;
import dev.stampede.stats.HistoryPoint;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunViewTest {

  @Test
  void leavesAGapInResponseTimesWhereNoRequestCompleted() {
    double[] values = new double[Percentiles.REPORTED.length];
    Arrays.fill(values, 12.5);
    List<HistoryPoint> points = List.of(
        new HistoryPoint(1_000, 1, 2, 10, 1, new Percentiles(values), 10, 1),
        new HistoryPoint(2_000, 1, 2, 0, 0, new Percentiles(new double[values.length]), 10, 1));
    ObjectNode view = RunView.newObject();

    RunView.history(view, points);

    assertThat(view.at("/history/t").toString()).isEqualTo("[1.0,2.0]");
    assertThat(view.at("/history/p95").toString()).isEqualTo("[12.5,null]");
    assertThat(view.at("/history/rps").toString()).isEqualTo("[10.0,0.0]");
    assertThat(view.at("/history/users").toString()).isEqualTo("[2,2]");
  }

  @Test
  void saysAHistoryHasNoPercentilesWhenNoIntervalWithRequestsHasOne() {
    double[] unknown = new double[Percentiles.REPORTED.length];
    Arrays.fill(unknown, Double.NaN);
    double[] known = new double[Percentiles.REPORTED.length];
    Arrays.fill(known, 12.5);
    List<HistoryPoint> merged = List.of(
        new HistoryPoint(1_000, 1, 2, 10, 1, new Percentiles(unknown), 10, 1),
        new HistoryPoint(2_000, 1, 2, 0, 0, new Percentiles(unknown), 10, 1));
    List<HistoryPoint> run = List.of(
        new HistoryPoint(1_000, 1, 2, 10, 1, new Percentiles(known), 10, 1),
        new HistoryPoint(2_000, 1, 2, 0, 0, new Percentiles(unknown), 10, 1));
    List<HistoryPoint> idle = List.of(new HistoryPoint(1_000, 1, 2, 0, 0, new Percentiles(unknown), 0, 0));
    ObjectNode mergedView = RunView.newObject();
    ObjectNode runView = RunView.newObject();
    ObjectNode idleView = RunView.newObject();
    ObjectNode emptyView = RunView.newObject();

    RunView.history(mergedView, merged);
    RunView.history(runView, run);
    RunView.history(idleView, idle);
    RunView.history(emptyView, List.of());

    assertThat(mergedView.at("/history/percentiles").asBoolean(true)).isFalse();
    assertThat(mergedView.at("/history/p50").toString()).isEqualTo("[null,null]");
    assertThat(runView.at("/history/percentiles").asBoolean(false)).isTrue();
    assertThat(idleView.at("/history/percentiles").asBoolean(false)).isTrue();
    assertThat(emptyView.at("/history/percentiles").asBoolean(false)).isTrue();
  }

  @Test
  void writesJsonThatCannotEndAScriptElementOrAJavaScriptString() throws Exception {
    ObjectNode view = RunView.newObject();
    String hostile = "</script><!--&'\u2028\u2029\"";
    view.put("name", hostile);

    String json = RunView.toScriptSafeJson(view);

    assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("'")
        .doesNotContain("\u2028").doesNotContain("\u2029");
    assertThat(new ObjectMapper().readTree(json).get("name").asText()).isEqualTo(hostile);
  }
}
