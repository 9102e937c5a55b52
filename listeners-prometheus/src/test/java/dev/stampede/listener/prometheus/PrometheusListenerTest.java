package dev.stampede.listener.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.RequestResult;
import dev.stampede.RunInfo;
import dev.stampede.config.ConfigSource;
import io.micrometer.core.instrument.MockClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusListenerTest {

  private static final RunInfo RUN = new RunInfo("run-1", "gen-1", "http://127.0.0.1:1", "scenario",
      Map.of("env", "ci", "instance", "x"), Instant.ofEpochSecond(1_700_000_000));

  private static RequestResult ok(String name, long millis) {
    return new RequestResult(0, "GET", name, millis * 1_000_000, 100, 200, null, RUN.tags());
  }

  private static RequestResult failed(String name, int status, String failure) {
    return new RequestResult(0, "GET", name, 1_000_000, 0, status, failure, RUN.tags());
  }

  private static PrometheusListener listener(Map<String, String> config) {
    return PrometheusListener.builder().config(ConfigSource.of(config)).clock(new MockClock()).build();
  }

  @Test
  void printsScrape() {
    PrometheusListener listener = listener(Map.of("prometheus.server", "false", "prometheus.pushgateway.url", "http://127.0.0.1:1"));
    listener.onStart(RUN);
    listener.onResults(List.of(ok("/a", 7), failed("/a", 500, "HTTP 500")));
    System.out.println(listener.scrape());
    listener.close();
  }
}
