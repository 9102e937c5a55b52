// The target of the coordinated-omission benchmark (bench/pause.sh): a loopback HTTP server that
// answers every request at once with a tiny 200, except that it stalls once, for PAUSE_MS, from
// PAUSE_AT_MS after its first request: every request that arrives in that window (or is being
// answered) is held until the window ends. Like a GC pause or a failover in a real service.
//
//   java bench/PauseServer.java PORT_FILE PAUSE_AT_MS PAUSE_MS     (PAUSE_MS 0: never stalls)
//
// Binds 127.0.0.1 on a free port, writes the port to PORT_FILE, serves until killed. Each exchange
// runs on its own virtual thread, so held requests cost no platform thread.

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class PauseServer {

  private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws IOException {
    Path portFile = Path.of(args[0]);
    long pauseAtNanos = Long.parseLong(args[1]) * 1_000_000L;
    long pauseNanos = Long.parseLong(args[2]) * 1_000_000L;
    AtomicLong firstRequest = new AtomicLong(Long.MIN_VALUE);
    AtomicLong held = new AtomicLong();

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        long now = System.nanoTime();
        firstRequest.compareAndSet(Long.MIN_VALUE, now);
        long pauseStart = firstRequest.get() + pauseAtNanos;
        long pauseEnd = pauseStart + pauseNanos;
        if (pauseNanos > 0 && now >= pauseStart && now < pauseEnd) {
          held.incrementAndGet();
          long left;
          while ((left = pauseEnd - System.nanoTime()) > 0) {
            try {
              Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(BODY);
        }
      }
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.err.println("pause server: " + held.get() + " requests held by the pause")));
    Files.writeString(portFile, Integer.toString(server.getAddress().getPort()));
  }
}
