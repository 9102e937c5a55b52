package dev.stampede.listener.influx;

import dev.stampede.listener.PushSender;
import dev.stampede.listener.SendException;
import dev.stampede.support.WarnThenDebugLogger;
import java.util.ArrayList;
import java.util.List;
import org.influxdb.dto.Point;

/**
 * What the {@link PushSender} sends points through: {@code CREATE DATABASE} once before the first
 * write, when asked, then one write per batch. InfluxDB's own failures become {@link SendException}s.
 */
final class InfluxWire implements PushSender.Transport<InfluxPoints.Weighted> {

  private final InfluxTransport transport;
  private final WarnThenDebugLogger databaseLog = new WarnThenDebugLogger(InfluxListener.class);
  private boolean databaseReady;

  InfluxWire(InfluxTransport transport, boolean createDatabase) {
    this.transport = transport;
    this.databaseReady = !createDatabase;
  }

  @Override
  public void send(List<InfluxPoints.Weighted> batch) {
    try {
      if (!databaseReady) {
        createDatabase();
      }
      List<Point> points = new ArrayList<>(batch.size());
      for (InfluxPoints.Weighted weighted : batch) {
        points.add(weighted.point());
      }
      transport.write(points);
    } catch (InfluxTransport.WriteException e) {
      throw new SendException(e.getMessage(), e.retryable(), e);
    }
  }

  private void createDatabase() {
    try {
      transport.createDatabase();
    } catch (InfluxTransport.WriteException e) {
      if (e.retryable()) {
        throw e;
      }
      // Without admin rights CREATE DATABASE is refused though the database may well exist; the
      // write itself tells.
      databaseLog.log("InfluxDB refused CREATE DATABASE; writing anyway", e);
    }
    databaseReady = true;
  }

  @Override
  public void close() {
    transport.close();
  }
}
