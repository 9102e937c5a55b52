package dev.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Host-header check (against DNS rebinding) holds whatever address the page is bound to. */
class WebUiHostCheckTest {

  private WebTestTarget target;
  private WebUi web;

  @BeforeEach
  void startTarget() throws IOException {
    target = new WebTestTarget();
  }

  @AfterEach
  void stopAll() {
    if (web != null) {
      web.close();
    }
    target.close();
  }

  private String get(String hostHeader, String auth) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", web.port())) {
      String request = "GET /api/state HTTP/1.1\r\nHost: " + hostHeader + "\r\n"
          + (auth == null ? "" : "Authorization: Basic "
              + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)) + "\r\n")
          + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void boundToAllInterfacesItStillAnswersOnlyAllowedHostNames() throws Exception {
    web = WebUi.builder().host("0.0.0.0").port(0).auth("admin:pw").allowedHosts(List.of("loadgen.example"))
        .runStarter(target.starter()).build().start();

    // A rebinding page sends its own name, and (a browser asks the user) even the right password.
    assertThat(get("evil.example:" + web.port(), "admin:pw")).startsWith("HTTP/1.1 421");
    assertThat(get("loadgen.example:" + web.port(), "admin:pw")).startsWith("HTTP/1.1 200");
    assertThat(get("127.0.0.1:" + web.port(), "admin:pw")).startsWith("HTTP/1.1 200");
    assertThat(get("loadgen.example:" + web.port(), null)).startsWith("HTTP/1.1 401");
  }
}
