package dev.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The report's assets are one copy that the live page uses too, and the report needs nothing of the web page. */
class WebAssetsTest {

  @Test
  void theReportCarriesTheOneRunViewMarkup() {
    String markup = WebAssets.runViewHtml();

    assertThat(markup).contains("id=\"stats\"", "id=\"chart-rps\"", "id=\"failures\"", "id=\"task-errors\"",
        "id=\"listeners\"", "id=\"kpis\"", "id=\"summary\"");
    assertThat(HtmlReport.render(HtmlTestData.outcome(), List.of())).contains(markup);
  }

  @Test
  void nothingInTheReportPackageNamesTheWebPackage() throws IOException, URISyntaxException {
    Path classes = Path.of(WebAssets.class.getResource("WebAssets.class").toURI()).getParent();
    Path resources = Path.of(WebAssets.class.getResource("report.html").toURI()).getParent();
    try (Stream<Path> files = Stream.concat(Files.list(classes), Files.list(resources)).distinct()) {
      List<Path> naming = files.filter(Files::isRegularFile).filter(file -> {
        try {
          String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          return text.contains("dev/stampede/web") || text.contains("dev.stampede.web");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();

      assertThat(naming).isEmpty();
    }
  }
}
