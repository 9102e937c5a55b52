package dev.stampede.gate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes KPI verdicts as JUnit XML ({@code --junit FILE}), the format CI systems (GitHub Actions
 * test reporters, GitLab {@code artifacts:reports:junit}, Jenkins) show as test results: one
 * {@code <testsuite>} with one {@code <testcase>} per KPI, a {@code <failure>} for each missed KPI
 * and a {@code <skipped>} for each KPI before its {@code skip_until} date.
 *
 * <p>The layout follows the de-facto schema of Ant/Surefire reports
 * (https://github.com/testmoapp/junitxml). Text is written with StAX, so names with
 * {@code <}, {@code &} or quotes stay well-formed.
 */
public final class JUnitXmlWriter {

  /** The test suite's name unless one is given. */
  public static final String DEFAULT_SUITE = "stampede.kpi";

  private JUnitXmlWriter() {}

  /** Writes {@code report} to {@code file}, creating its directory; suite named {@link #DEFAULT_SUITE}. */
  public static void write(KpiReport report, Path file, Clock clock) {
    write(report, file, DEFAULT_SUITE, clock);
  }

  /**
   * Writes {@code report} to {@code file}.
   *
   * @param suite the test suite name, e.g. the run id
   * @param clock gives the suite's timestamp
   */
  public static void write(KpiReport report, Path file, String suite, Clock clock) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        write(report, out, suite, clock.instant());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JUnit XML to " + file, e);
    }
  }

  /** Writes {@code report} as UTF-8 XML to {@code out}, leaving it open. */
  public static void write(KpiReport report, OutputStream out, String suite, Instant timestamp)
      throws IOException {
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", suite);
      xml.writeAttribute("tests", Integer.toString(report.verdicts().size()));
      xml.writeAttribute("failures", Long.toString(report.count(Verdict.Status.FAILED)));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", Long.toString(report.count(Verdict.Status.SKIPPED)));
      xml.writeAttribute("time", "0");
      xml.writeAttribute("timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
      for (Verdict v : report.verdicts()) {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", suite + "." + v.kpi().target());
        xml.writeAttribute("name", v.kpi().metricName() + " " + v.kpi().describeBound());
        xml.writeAttribute("time", "0");
        switch (v.status()) {
          case FAILED -> {
            xml.writeCharacters("\n    ");
            xml.writeStartElement("failure");
            xml.writeAttribute("message", v.message());
            xml.writeAttribute("type", "KpiMissed");
            xml.writeCharacters(v.message());
            xml.writeEndElement();
            xml.writeCharacters("\n  ");
          }
          case SKIPPED -> {
            xml.writeCharacters("\n    ");
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", v.message());
            xml.writeCharacters("\n  ");
          }
          case PASSED -> {
            xml.writeStartElement("system-out");
            xml.writeCharacters(v.message());
            xml.writeEndElement();
          }
        }
        xml.writeEndElement();
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.flush();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
    }
  }
}
