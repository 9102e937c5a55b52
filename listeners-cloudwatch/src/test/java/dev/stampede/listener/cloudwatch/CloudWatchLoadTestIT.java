package dev.stampede.listener.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.stampede.bus.ListenerDelivery;
import dev.stampede.bus.OverflowPolicy;
import dev.stampede.config.ConfigSource;
import dev.stampede.engine.LoadTest;
import dev.stampede.engine.RunOutcome;
import dev.stampede.http.HttpSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * End to end: a real load test against a loopback target, exported by the listener with the real
 * SDK to {@link FakeCloudWatch}. What CloudWatch received adds up to what the engine counted.
 */
class CloudWatchLoadTestIT {

  @Test
  void whatCloudWatchReceivesAddsUpToTheEnginesSummary() throws Exception {
    AtomicLong served = new AtomicLong();
    HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    target.setExecutor(executor);
    target.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(served.incrementAndGet() % 7 == 0 ? 500 : 200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    target.start();
    try (FakeCloudWatch fake = new FakeCloudWatch()) {
      CloudWatchListener listener = CloudWatchListener.builder(CloudWatchConfig.of(ConfigSource.of(Map.of(
              "cloudwatch.region", "us-east-1",
              "cloudwatch.endpoint", fake.endpoint().toString(),
              "cloudwatch.step", "1s",
              "cloudwatch.service", "demo"))))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDIT", "it-secret")))
          .build();

      RunOutcome outcome = LoadTest.builder()
          .host("http://127.0.0.1:" + target.getAddress().getPort())
          .url("/")
          .users(4).spawnRate(100)
          .runTime(Duration.ofSeconds(4))
          .runId("cw-it-1")
          .listener("cloudwatch", listener)
          // Publishing waits rather than drops, so the totals below must match exactly.
          .overflowPolicy(OverflowPolicy.BLOCK)
          .httpFactory((host, sink) -> HttpSession.builder().baseUrl(URI.create(host)).sink(sink).build())
          .build().run();

      ListenerDelivery delivery = outcome.deliveries().get(0);
      assertThat(outcome.summary().total().count()).isPositive();
      assertThat(delivery.dropped()).isZero();
      assertThat(delivery.failed()).isZero();
      assertThat(fake.endpointSum("RequestCount")).isEqualTo(outcome.summary().total().count());
      assertThat(fake.endpointSum("FailureCount")).isEqualTo(outcome.summary().total().failures());
      assertThat(outcome.summary().total().failures()).isPositive();
      // One call per 1 s step at most (plus the final flush), whatever the request rate was.
      assertThat(fake.acceptedPutMetricData().size()).isLessThanOrEqualTo(4 + 2);
      assertThat(delivery.report().details()).containsEntry("datums_failed", 0L);
    } finally {
      target.stop(0);
      executor.shutdownNow();
    }
  }
}
