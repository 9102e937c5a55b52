package dev.stampede.bench;

import dev.stampede.Response;
import dev.stampede.engine.ResultSink;
import dev.stampede.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Closed-loop throughput of candidate HTTP clients, one virtual thread per user, each user sending
 * GET requests back to back and reading every body, as {@code wrk -c USERS} does.
 *
 * <pre>
 * java -cp benchmarks.jar dev.stampede.bench.ClientShootout CLIENT URL USERS WARMUP_S MEASURE_S
 * </pre>
 *
 * CLIENT is one of {@code session} (Stampede's HttpSession, one per user), {@code jdk-per-user}
 * ({@link HttpClient}, one per user), {@code jdk-shared} (one {@link HttpClient} for all users),
 * {@code apache-shared} (Apache HttpClient 5 classic, one pooled client) or {@code apache-per-user};
 * {@code session-platform} runs HttpSession users on platform threads instead, for comparison.
 * Prints one line: {@code client=... users=... rps=... errors=... cpu_us_per_request=...}; the last is
 * the whole process's CPU time (every thread: users, poller, GC, JIT) per successful request during
 * the measurement, which stays meaningful when other work shares the machine.
 */
public final class ClientShootout {

  private ClientShootout() {}

  interface UserLoop {
    /** Sends one request; true when it got a 200. */
    boolean once() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: ClientShootout CLIENT URL USERS WARMUP_S MEASURE_S");
      System.exit(2);
    }
    String client = args[0];
    URI url = URI.create(args[1]);
    int users = Integer.parseInt(args[2]);
    long warmupNanos = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    long measureNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();

    HttpClient sharedJdk = client.equals("jdk-shared")
        ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build() : null;
    CloseableHttpClient sharedApache = client.equals("apache-shared") ? apache(users) : null;

    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long measureTo = measureFrom + measureNanos;
    List<Thread> threads = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      UserLoop loop = switch (client) {
        case "session", "session-platform" -> session(url);
        case "jdk-per-user" -> jdk(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), url);
        case "jdk-shared" -> jdk(sharedJdk, url);
        case "apache-shared" -> apache(sharedApache, url);
        case "apache-per-user" -> apache(apache(1), url);
        default -> throw new IllegalArgumentException("unknown client " + client);
      };
      Thread.Builder builder = client.endsWith("-platform") ? Thread.ofPlatform() : Thread.ofVirtual();
      threads.add(builder.start(() -> {
        while (true) {
          boolean success;
          try {
            success = loop.once();
          } catch (Exception e) {
            success = false;
          }
          long now = System.nanoTime();
          if (now >= measureTo) {
            return;
          }
          if (now >= measureFrom) {
            (success ? ok : errors).increment();
          }
        }
      }));
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
    long cpuFrom = os.getProcessCpuTime();
    long okFrom = ok.sum();
    Thread.sleep(Math.max(0, (measureTo - System.nanoTime()) / 1_000_000));
    long cpu = os.getProcessCpuTime() - cpuFrom;
    long counted = ok.sum() - okFrom;
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = measureNanos / 1e9;
    System.out.printf(Locale.ROOT, "client=%s users=%d rps=%.0f errors=%d cpu_us_per_request=%.2f%n", client, users,
        ok.sum() / seconds, errors.sum(), counted == 0 ? 0.0 : cpu / 1000.0 / counted);
    System.exit(0);
  }

  private static UserLoop session(URI url) {
    ResultSink sink = (method, name, startEpochMicros, startNanos, endNanos, bytes, status, failure) -> { };
    HttpSession session = HttpSession.builder().baseUrl(url).sink(sink).build();
    String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return () -> {
      Response response = session.get(path);
      return response.status() == 200;
    };
  }

  private static UserLoop jdk(HttpClient client, URI url) {
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    return () -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
  }

  private static CloseableHttpClient apache(int connections) {
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(connections).setMaxConnPerRoute(connections).build())
        .disableCookieManagement()
        .build();
  }

  private static UserLoop apache(CloseableHttpClient client, URI url) {
    return () -> {
      try {
        return client.execute(new HttpGet(url), response -> {
          EntityUtils.toByteArray(response.getEntity());
          return response.getCode() == 200;
        });
      } catch (IOException e) {
        return false;
      }
    };
  }
}
