package dev.stampede.listener.influx;

import dev.stampede.support.WarnThenDebugLogger;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Writes through influxdb-java's synchronous {@link InfluxDB#write(BatchPoints)}. Its own batch mode
 * is not used: it drops points silently when InfluxDB is down, and the listener must count them.
 */
final class ClientTransport implements InfluxTransport {

  private final InfluxDB client;
  private final String db;
  private final String retentionPolicy;
  private final StatusInterceptor status;

  private ClientTransport(InfluxDB client, String db, String retentionPolicy, StatusInterceptor status) {
    this.client = client;
    this.db = db;
    this.retentionPolicy = retentionPolicy;
    this.status = status;
  }

  /** A transport over a client built from {@code config}. */
  static ClientTransport create(InfluxConfig config) {
    StatusInterceptor status = new StatusInterceptor();
    long timeoutMillis = config.timeout().toMillis();
    OkHttpClient.Builder http = new OkHttpClient.Builder()
        .connectTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .writeTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        // The listener retries itself, with backoff and a count; OkHttp must not retry behind it.
        .retryOnConnectionFailure(false)
        .addInterceptor(status);
    String token = config.token();
    if (token != null) {
      http.addInterceptor(chain -> chain.proceed(
          chain.request().newBuilder().header("Authorization", "Token " + token).build()));
    }
    String url = config.url();
    InfluxDB client = config.user() != null
        ? InfluxDBFactory.connect(url, config.user(), config.password(), http)
        : InfluxDBFactory.connect(url, http);
    if (config.gzip()) {
      client.enableGzip();
    }
    return wrap(client, config.db(), config.retentionPolicy(), status);
  }

  /** A transport over a client the caller built (and closes through this transport). */
  static ClientTransport wrap(InfluxDB client, String db, String retentionPolicy) {
    return wrap(client, db, retentionPolicy, null);
  }

  private static ClientTransport wrap(InfluxDB client, String db, String retentionPolicy, StatusInterceptor status) {
    return new ClientTransport(client, db, retentionPolicy, status);
  }

  @Override
  public void write(List<Point> points) {
    BatchPoints batch = BatchPoints.database(db)
        .retentionPolicy(retentionPolicy)
        .precision(TimeUnit.NANOSECONDS)
        .points(points)
        .build();
    call(() -> client.write(batch));
  }

  @Override
  public void createDatabase() {
    call(() -> {
      QueryResult result = client.query(new Query("CREATE DATABASE \"" + db + "\""));
      if (result.hasError()) {
        throw new InfluxDBException(result.getError());
      }
    });
  }

  private void call(Runnable request) {
    if (status != null) {
      status.reset();
    }
    try {
      request.run();
    } catch (InfluxDBIOException e) {
      throw new WriteException("InfluxDB unreachable: " + WarnThenDebugLogger.describe(e), true, e);
    } catch (InfluxDBException e) {
      int code = status == null ? 0 : status.lastCode();
      boolean retryable = code >= 500 || code == 429 || (code == 0 && e.isRetryWorth());
      String prefix = code == 0 ? "InfluxDB refused the request" : "InfluxDB answered HTTP " + code;
      throw new WriteException(prefix + ": " + WarnThenDebugLogger.describe(e), retryable, e);
    } catch (RuntimeException e) {
      throw new WriteException("InfluxDB request failed: " + WarnThenDebugLogger.describe(e), true, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** Remembers the status code of the last response on the (single) sender thread. */
  private static final class StatusInterceptor implements okhttp3.Interceptor {
    private volatile int lastCode;

    void reset() {
      lastCode = 0;
    }

    int lastCode() {
      return lastCode;
    }

    @Override
    public okhttp3.Response intercept(Chain chain) throws java.io.IOException {
      okhttp3.Response response = chain.proceed(chain.request());
      lastCode = response.code();
      return response;
    }
  }
}
