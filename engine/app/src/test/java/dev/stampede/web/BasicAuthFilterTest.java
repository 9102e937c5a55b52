package dev.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Basic auth on the JDK's BasicAuthenticator: malformed credentials get the same challenge as wrong ones. */
class BasicAuthFilterTest {

  private WebTestTarget target;
  private WebUi web;

  @BeforeEach
  void start() throws IOException {
    target = new WebTestTarget();
    web = WebUi.builder().port(0).auth("admin:pw").runStarter(target.starter()).build().start();
  }

  @AfterEach
  void stopAll() {
    web.close();
    target.close();
  }

  private String get(String authorization) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", web.port())) {
      String request = "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void challengesMalformedCredentialsLikeWrongOnes() throws IOException {
    for (String malformed : new String[] {"Basic !!not-base64!!", basic("no-colon"), "Bearer abc", "Basic"}) {
      String answer = get(malformed);

      assertThat(answer).as(malformed).startsWith("HTTP/1.1 401")
          .contains("Basic realm=\"Stampede\"").contains("authentication required");
    }
  }

  @Test
  void letsTheRightUserInAndNoOneElse() throws IOException {
    assertThat(get(basic("admin:pw"))).startsWith("HTTP/1.1 200");
    assertThat(get(basic("admin:pw2"))).startsWith("HTTP/1.1 401").contains("Basic realm=\"Stampede\"");
    assertThat(get(basic("admin2:pw"))).startsWith("HTTP/1.1 401");
    assertThat(get(basic("admin:pw:"))).startsWith("HTTP/1.1 401");
    assertThat(get(null)).startsWith("HTTP/1.1 401").contains("Basic realm=\"Stampede\"");
  }

  @Test
  void checksThePasswordBeforeTheCsrfHeader() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", web.port())) {
      socket.getOutputStream().write(("POST /api/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 401");
    }
  }
}
