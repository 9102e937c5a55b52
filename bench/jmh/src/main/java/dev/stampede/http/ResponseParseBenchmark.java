package dev.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's own work to read one response, without the socket: {@link Connection#readResponse}
 * on the exact response of the benchmarks' nginx (bench/nginx.conf), served from memory, plus the
 * {@code Set-Cookie} lookup every response gets. In a {@code --url} run this is the largest share of
 * the carrier thread's user-space time per request (BENCHMARKS.md, issue 8 sixth round). Lives in
 * the client's package to reach its package-private parser.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ResponseParseBenchmark {

  private static final byte[] NGINX_RESPONSE = ("HTTP/1.1 200 OK\r\n"
      + "Server: nginx/1.22.1\r\n"
      + "Date: Mon, 23 Nov 2026 19:00:00 GMT\r\n"
      + "Content-Type: text/plain\r\n"
      + "Content-Length: 2\r\n"
      + "Connection: keep-alive\r\n"
      + "\r\n"
      + "ok").getBytes(StandardCharsets.ISO_8859_1);

  private Connection connection;

  @Setup
  public void connect() {
    // Every read returns one whole response, as a loopback read usually does.
    InputStream replay = new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException("the parser reads in blocks");
      }

      @Override
      public int read(byte[] target, int offset, int length) {
        System.arraycopy(NGINX_RESPONSE, 0, target, offset, NGINX_RESPONSE.length);
        return NGINX_RESPONSE.length;
      }
    };
    connection = new Connection("http://127.0.0.1:1", () -> { }, replay, OutputStream.nullOutputStream());
  }

  @Benchmark
  public int readResponse() throws IOException {
    connection.beginResponse(0, 0);
    Connection.RawResponse response = connection.readResponse(false, HttpSession.DEFAULT_MAX_BODY_KEPT);
    return response.status() + response.body().length + response.head().all("set-cookie").size();
  }
}
