package dev.stampede.gate;

import static dev.stampede.result.Results.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.kpi.AbortOnFail;
import dev.stampede.kpi.Kpi;
import dev.stampede.kpi.KpiFile;
import dev.stampede.kpi.Metric;
import dev.stampede.result.Results;
import dev.stampede.result.RunResultFile;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitXmlWriterTest {

  @TempDir Path dir;

  @Test
  void writesOneWellFormedTestCasePerKpiWithFailuresAndSkips() throws Exception {
    RunResultFile run = Results.run()
        .endpoint(ep("GET", "/search?q=<a&b>\"").count(10).mean(80).p(95, 120))
        .build();
    Kpi skipped = new Kpi("total", "p99", Metric.parse("p99").orElseThrow(), 1,
        LocalDate.of(2027, 1, 1), "waiting for <cache> & \"CDN\"");
    KpiReport report = new KpiEvaluator(KpiEvaluatorTest.NOV_23).evaluate(new KpiFile("t", List.of(
        Kpi.of("GET /search?q=<a&b>\"", "p95", 100),
        Kpi.of("GET /search?q=<a&b>\"", "count", 5),
        skipped), AbortOnFail.OFF), run);
    Path file = dir.resolve("reports/kpi.xml");

    JUnitXmlWriter.write(report, file, KpiEvaluatorTest.NOV_23);

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    Element suite = doc.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("name")).isEqualTo("stampede.kpi");
    assertThat(suite.getAttribute("tests")).isEqualTo("3");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-23T10:00:00Z");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(3);
    Element failed = (Element) cases.item(0);
    assertThat(failed.getAttribute("classname")).isEqualTo("stampede.kpi.GET /search?q=<a&b>\"");
    assertThat(failed.getAttribute("name")).isEqualTo("p95 <= 100 ms");
    Element failure = (Element) failed.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).contains("p95 = 120 ms, bound <= 100 ms");
    assertThat(failure.getTextContent()).isEqualTo(failure.getAttribute("message"));
    Element passed = (Element) cases.item(1);
    assertThat(passed.getElementsByTagName("failure").getLength()).isZero();
    assertThat(passed.getElementsByTagName("skipped").getLength()).isZero();
    Element skip = (Element) ((Element) cases.item(2)).getElementsByTagName("skipped").item(0);
    assertThat(skip.getAttribute("message")).contains("waiting for <cache> & \"CDN\"");
  }
}
