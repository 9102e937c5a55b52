package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.Response;
import dev.stampede.testkit.Nginx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real server, Debian's nginx, for what nginx does on its own that a toy
 * server would not: gzip, closing a keep-alive connection after {@code keepalive_requests} or
 * {@code keepalive_timeout}, relative redirects. Each case checks what nginx logged it received as
 * well as what the session recorded.
 */
@Timeout(120)
class HttpConformanceIT {

  private static final String JSON = "{\"items\":[" + "\"an item\",".repeat(300) + "\"last\"]}";

  @TempDir
  static Path dir;
  private static Nginx nginx;
  private static int port;
  private final RecordingSink sink = new RecordingSink();

  @BeforeAll
  static void startNginx() throws IOException, InterruptedException {
    port = Nginx.freePort();
    String servers = """
        log_format methods '$connection $request_method $uri $status';
        server {
          listen 127.0.0.1:%1$d;
          access_log %2$s/methods.log methods;
          keepalive_requests 3;
          keepalive_timeout 1s;
          absolute_redirect off;
          gzip on;
          gzip_min_length 0;
          gzip_types application/json;
          location = /json {
            default_type application/json;
            return 200 '%3$s';
          }
          location /orders/ {
            default_type text/plain;
            return 200 "ok";
          }
          location = /list {
            default_type text/plain;
            if ($arg_page) {
              return 200 "page $arg_page";
            }
            return 302 ?page=2;
          }
        }
        """.formatted(port, dir, JSON);
    nginx = Nginx.start(dir, servers, List.of(port));
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private HttpSession session() {
    return HttpSession.builder().baseUrl(URI.create("http://127.0.0.1:" + port)).sink(sink).build();
  }

  /** The access log's lines for {@code method} and {@code uri}: connection, method, uri, status. */
  private static List<String[]> logged(String method, String uri) throws IOException {
    Path log = dir.resolve("methods.log");
    return !Files.exists(log) ? List.of() : Files.readAllLines(log).stream()
        .map(line -> line.split(" "))
        .filter(f -> f[1].equals(method) && f[2].equals(uri))
        .toList();
  }

  @Test
  void decodesWhatNginxGzipsAndCountsTheCompressedBytes() {
    try (HttpSession session = session()) {
      Response response = session.get("/json");

      assertThat(response.header("content-encoding")).isEqualTo("gzip");
      assertThat(response.text()).isEqualTo(JSON);
      assertThat(response.json(Map.class).containsKey("items")).isTrue();
      assertThat(sink.only().bytes()).isEqualTo(response.receivedBytes()).isLessThan(JSON.length() / 4);
    }
  }

  @Test
  void postsAcrossConnectionsNginxClosesAfterThreeRequestsAreNeitherLostNorDuplicated() throws IOException {
    try (HttpSession session = session()) {
      for (int i = 0; i < 30; i++) {
        session.post("/orders/batch", o -> o.body("order", "text/plain"));
      }
    }

    assertThat(sink.records).hasSize(30).allMatch(r -> r.failure() == null && r.status() == 200);
    // nginx logs a request once it has sent the response: wait for the last line.
    await().atMost(Duration.ofSeconds(10)).until(() -> logged("POST", "/orders/batch").size() >= 30);
    List<String[]> received = logged("POST", "/orders/batch");
    assertThat(received).hasSize(30);
    assertThat(received.stream().map(f -> f[0]).distinct().count()).as("connections").isEqualTo(10);
  }

  @Test
  void aPostAfterNginxClosedTheIdleConnectionGoesOnANewConnectionWithoutAFailure() throws IOException {
    try (HttpSession session = session()) {
      assertThat(session.post("/orders/idle", o -> o.body("first", "text/plain")).ok()).isTrue();
      // keepalive_timeout 1s: nginx closes the idle connection; the session must notice before reuse.
      await().atMost(Duration.ofSeconds(20)).until(session::pooledConnectionClosedByServer);
      assertThat(session.post("/orders/idle", o -> o.body("second", "text/plain")).failure()).isNull();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> logged("POST", "/orders/idle").size() >= 2);
    List<String[]> received = logged("POST", "/orders/idle");
    assertThat(received).hasSize(2).extracting(f -> f[0]).doesNotHaveDuplicates();
  }

  @Test
  void followsAQueryOnlyRelativeRedirectToTheSamePath() throws IOException {
    try (HttpSession session = session()) {
      Response response = session.get("/list");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("page 2");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> logged("GET", "/list").size() >= 2);
    assertThat(logged("GET", "/list")).extracting(f -> f[3]).containsExactly("302", "200");
  }
}
