package dev.stampede.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KpiFileTest {

  @TempDir Path dir;

  static KpiFile load(Path file) {
    return KpiFile.load(file, new YAMLFactory());
  }

  Path file(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  @Test
  void readsTheIssueExampleWithItsAliases() throws Exception {
    KpiFile kpis = load(file("kpis.yaml", """
        kpis:
          "GET /store/inventory": { percentile_90: 50, rps: 500, error_rate: 0 }
          total: { p99: 800 }
        """));

    assertThat(kpis.kpis()).extracting(Kpi::name).containsExactly(
        "GET /store/inventory percentile_90", "GET /store/inventory rps",
        "GET /store/inventory error_rate", "total p99");
    assertThat(kpis.kpis()).extracting(k -> k.metric().name())
        .containsExactly("p90", "rps", "error_rate", "p99");
    assertThat(kpis.kpis()).extracting(Kpi::bound).containsExactly(50.0, 500.0, 0.0, 800.0);
    assertThat(kpis.abortOnFail()).isEqualTo(AbortOnFail.OFF);
  }

  @ParameterizedTest
  @CsvSource({
      "percentile_90, p90", "p95_ms, p95", "avg, mean", "mean, mean", "p999, p99.9",
      "p99.9, p99.9", "p99.99, p99.99", "p9999, p99.99", "P50, p50", "max, max", "failures, failures",
      "count, count", "p100, p100"})
  void acceptsEveryMetricNameAndAlias(String written, String canonical) {
    assertThat(Metric.parse(written)).map(Metric::name).hasValue(canonical);
  }

  @Test
  void readsJsonToo() throws Exception {
    KpiFile kpis = load(file("kpis.json",
        "{\"kpis\": {\"GET /x\": {\"p95_ms\": 200, \"count\": 10}}}"));

    assertThat(kpis.kpis()).extracting(Kpi::name).containsExactly("GET /x p95_ms", "GET /x count");
  }

  @Test
  void readsSkipUntilAndAbortOnFail() throws Exception {
    KpiFile kpis = load(file("kpis.yml", """
        abort_on_fail: { delay: 30s }
        kpis:
          search: { p95: 250ms, skip_until: 2026-02-01, skip_reason: "index rebuild" }
        """));

    Kpi kpi = kpis.kpis().get(0);
    assertThat(kpi.bound()).isEqualTo(250.0);
    assertThat(kpi.skipUntil()).isEqualTo(LocalDate.of(2026, 2, 1));
    assertThat(kpi.skipReason()).isEqualTo("index rebuild");
    assertThat(kpis.abortOnFail()).isEqualTo(new AbortOnFail(true, Duration.ofSeconds(30)));
  }

  @Test
  void acceptsAbortOnFailAsABoolean() throws Exception {
    assertThat(load(file("a.yaml", "abort_on_fail: true\nkpis: {total: {p99: 1}}\n"))
        .abortOnFail()).isEqualTo(new AbortOnFail(true, Duration.ZERO));
    assertThat(load(file("b.yaml", "abort_on_fail: false\nkpis: {total: {p99: 1}}\n"))
        .abortOnFail()).isEqualTo(AbortOnFail.OFF);
  }

  @Test
  void rejectsAnUnknownMetricNamingItAndItsEndpoint() throws Exception {
    Path f = file("kpis.yaml", "kpis:\n  \"GET /x\": { p95: 10, latency: 5 }\n");

    assertThatThrownBy(() -> load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("KPI file " + f + ": kpis.\"GET /x\": unknown metric 'latency'"
            + " (accepted: p50, p66")
        .hasMessageNotContaining("\n");
  }

  @Test
  void rejectsAPercentileThatIsNotReported() throws Exception {
    Path f = file("kpis.yaml", "kpis:\n  total: { p85: 10 }\n");

    assertThatThrownBy(() -> load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown metric 'p85'");
  }

  @Test
  void reportsEveryProblemAtOnce() throws Exception {
    Path f = file("kpis.yaml", """
        kpis:
          "GET /x": { p95: fast, error_rate: 150, skip_until: soon }
          total: { p99: -4, skip_reason: "no date" }
          empty: {}
        abort_on_fail: { delay: never }
        extra: 1
        """);

    assertThatThrownBy(() -> load(f))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).hasSize(8);
          assertThat(e.getMessage()).startsWith("KPI file " + f + ": ").contains(
              "unknown key 'extra' (accepted: kpis, abort_on_fail)",
              "kpis.\"GET /x\".skip_until must be a date such as 2026-02-01 but was the text \"soon\"",
              "kpis.\"GET /x\".p95 must be milliseconds or a duration such as 250ms but was the text"
                  + " \"fast\"",
              "kpis.\"GET /x\".error_rate is a percentage and must be <= 100 but was 150",
              "kpis.\"total\".skip_reason is given without skip_until",
              "kpis.\"total\".p99 must be >= 0 but was -4",
              "kpis.\"empty\" must be a mapping of metric to bound, such as {p95: 200}, but was"
                  + " an empty mapping",
              "abort_on_fail.delay must be a duration such as 30s but was the text \"never\"");
          assertThat(e.getMessage()).doesNotContain("\n");
        });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bad.yaml | 'kpis: {\"GET /x\": {p95: 10}'",
      "bad.json | '{\"kpis\": {\"GET /x\": {\"p95\": 10,}}}'",
      "dup.json | '{\"kpis\": {\"total\": {\"p95\": 10}, \"total\": {\"p99\": 1}}}'",
      "list.yaml | '- p95: 10'",
      "nokpis.yaml | 'abort_on_fail: true'",
      "text.yaml | 'kpis: fast'",
      "tabs.yaml | 'kpis:\n\t total: {p99: 1}'"})
  void rejectsEachMalformedFileWithOneLine(String name, String content) throws Exception {
    Path f = file(name, content);

    assertThatThrownBy(() -> load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("KPI file " + f)
        .hasMessageNotContaining("\n");
  }

  @Test
  void rejectsAnEmptyFile() throws Exception {
    Path f = file("empty.yaml", "");

    assertThatThrownBy(() -> load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage("KPI file " + f + " is empty");
  }
}
