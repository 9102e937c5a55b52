package dev.stampede.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stampede.cli.Stampede;
import dev.stampede.examples.friendservice.FriendService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every shipped scenario compiles and runs against its target on loopback. */
class ScenariosTest {

  @TempDir
  Path dir;

  private final StringWriter err = new StringWriter();

  private int stampede(String... args) {
    CommandLine commandLine = Stampede.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  @Test
  void friendServiceScenarioSearchesCreatesAndBefriendsWithoutFailures() throws Exception {
    try (FriendService service = FriendService.builder().users(300).build().start()) {
      assertThat(service.awaitReady(Duration.ofMinutes(1))).isTrue();
      Path json = dir.resolve("friend.json");
      int code = stampede("run", "--scenario", "scenarios/FriendServiceScenario.java", "--host",
          service.baseUri().toString(), "--users", "6", "--spawn-rate", "6", "--run-time", "4s", "--json", json.toString(),
          "--stop-timeout", "30s", "--quiet");
      assertThat(code).as(err.toString()).isZero();

      JsonNode endpoints = new ObjectMapper().readTree(json.toFile()).get("endpoints");
      assertThat(endpoints.get("GET /friend-service/v1/users?username=[term]").get("count").asLong()).isPositive();
      assertThat(endpoints.get("POST /friend-service/v1/users").get("count").asLong()).isPositive();
      for (JsonNode endpoint : endpoints) {
        assertThat(endpoint.get("failures").asLong()).as(endpoint.get("name").asText()).isZero();
      }
    }
  }

  @Test
  void singleEndpointAndMovieScenariosRunAgainstAnAnsweringTarget() throws Exception {
    HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    target.createContext("/", exchange -> {
      byte[] body = "[]".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    target.start();
    try {
      String host = "http://127.0.0.1:" + target.getAddress().getPort();
      for (String scenario : new String[] {"SingleEndpointScenario", "MovieApiScenario"}) {
        Path json = dir.resolve(scenario + ".json");
        int code = stampede("run", "--scenario", "scenarios/" + scenario + ".java", "--host", host, "--users", "3",
            "--spawn-rate", "10", "--run-time", "1s", "--json", json.toString(), "--stop-timeout", "30s", "--quiet");
        assertThat(code).as(scenario + ": " + err).isZero();
        JsonNode total = new ObjectMapper().readTree(json.toFile()).get("total");
        assertThat(total.get("count").asLong()).as(scenario).isPositive();
        assertThat(total.get("failures").asLong()).as(scenario).isZero();
      }
    } finally {
      target.stop(0);
    }
  }

  @Test
  void jdbcScenarioTimesQueriesWithTheDriverFromItsDepsLine() throws Exception {
    Path json = dir.resolve("jdbc.json");
    int code = stampede("run", "--scenario", "scenarios/JdbcQueriesScenario.java", "--users", "2", "--run-time", "1s",
        "--stop-timeout", "30s", "--json", json.toString(), "--quiet");

    assertThat(code).as(err.toString()).isZero();
    JsonNode endpoints = new ObjectMapper().readTree(json.toFile()).get("endpoints");
    for (String query : new String[] {"custom movie by id", "custom top 10 of a year"}) {
      assertThat(endpoints.get(query).get("count").asLong()).as(query).isPositive();
      assertThat(endpoints.get(query).get("failures").asLong()).as(query).isZero();
    }
  }

  @Test
  void demoRunsTheFriendScenarioAgainstTheBundledService() throws Exception {
    System.setProperty("stampede.home", "..");
    Path json = dir.resolve("demo.json");
    CommandLine commandLine = Stampede.commandLine();
    commandLine.addSubcommand("demo", new DemoCommand());
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute("demo", "--run-time", "2s", "--users", "4", "--seed-users", "200",
        "--json", json.toString(), "--stop-timeout", "30s", "--quiet");

    assertThat(code).as(err.toString()).isZero();
    assertThat(new ObjectMapper().readTree(json.toFile()).get("total").get("count").asLong()).isPositive();
  }
}
