package dev.stampede.listener.influx;

import dev.stampede.Listener;
import dev.stampede.config.ConfigSource;
import dev.stampede.testkit.ListenerCompatibilityKit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine's listener test kit, run against a real {@code influxd} on loopback. */
class InfluxListenerCompatibilityKitIT extends ListenerCompatibilityKit {

  private static final String DB = "kit";
  private static InfluxServer server;

  @BeforeAll
  static void startInfluxd() throws Exception {
    server = InfluxServer.startFresh();
  }

  @AfterAll
  static void stopInfluxd() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Listener createListener() {
    return new InfluxListenerProvider().create(ConfigSource.of(Map.of(
        "influx.url", server.url(), "influx.db", DB, "influx.step", "1s")));
  }

  @Override
  protected Listener createListenerForSilentBackend(String url) {
    return new InfluxListenerProvider().create(ConfigSource.of(Map.of(
        "influx.url", url, "influx.step", "1s", "influx.timeout", "200ms", "influx.flush-timeout", "2s")));
  }

  @Override
  protected long backendRequestCount(String runId) throws Exception {
    return (long) server.scalar(DB, "SELECT sum(\"count\") FROM requests WHERE run_id='" + runId
        + "' AND \"name\" != 'total'");
  }

  @Override
  protected long backendFailureCount(String runId) throws Exception {
    return (long) server.scalar(DB, "SELECT sum(\"failures\") FROM requests WHERE run_id='" + runId
        + "' AND \"name\" != 'total'");
  }
}
