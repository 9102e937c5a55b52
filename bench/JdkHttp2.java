import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK's HttpClient as the HTTP/2 candidate of decision 0008 (bench/h2.sh): USERS virtual
 * threads send GET URL back to back over HTTP/2 (certificates unchecked), spread over CLIENTS
 * HttpClients, each of which multiplexes its users' requests on one connection per origin. After
 * WARMUP seconds, counts the 200s for SECONDS and prints {@code rps=N errors=N}.
 *
 *   java bench/JdkHttp2.java URL USERS CLIENTS WARMUP SECONDS
 */
public class JdkHttp2 {
  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int users = Integer.parseInt(args[1]);
    int clients = Integer.parseInt(args[2]);
    long warmup = Long.parseLong(args[3]) * 1_000_000_000L;
    long measure = Long.parseLong(args[4]) * 1_000_000_000L;
    SSLContext insecure = SSLContext.getInstance("TLS");
    insecure.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }}, new SecureRandom());
    List<HttpClient> pool = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      pool.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(insecure).build());
    }
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    long from = System.nanoTime() + warmup;
    long to = from + measure;
    List<Thread> threads = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      HttpClient client = pool.get(u % clients);
      threads.add(Thread.ofVirtual().start(() -> {
        while (true) {
          boolean success;
          try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            success = response.statusCode() == 200 && response.version() == HttpClient.Version.HTTP_2;
          } catch (Exception e) {
            success = false;
          }
          long now = System.nanoTime();
          if (now >= to) {
            return;
          }
          if (now >= from) {
            (success ? ok : errors).increment();
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.printf(Locale.ROOT, "rps=%.0f errors=%d%n", ok.sum() / (measure / 1e9), errors.sum());
    System.exit(0);
  }
}
