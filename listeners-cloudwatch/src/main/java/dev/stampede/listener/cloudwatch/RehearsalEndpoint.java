package dev.stampede.listener.cloudwatch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for CloudWatch on a free loopback port, which answers the start-up
 * rehearsal ({@link CloudWatchClients#rehearse}) as CloudWatch answers PutMetricData in the RPC v2
 * CBOR protocol: 200 with an empty CBOR map. The rehearsal thereby runs the SDK's whole HTTP client
 * (Netty's channel pool, its pipeline, the response's unmarshalling) before the load, instead of
 * loading some 550 classes at the first step boundary inside the run (decision 0010). Nothing of
 * the rehearsal leaves the machine, nor reaches the configured endpoint.
 */
final class RehearsalEndpoint implements AutoCloseable {

  /** An empty CBOR map: PutMetricData's whole response body. */
  private static final byte[] EMPTY_CBOR_MAP = {(byte) 0xA0};

  private final HttpServer server;
  private final AtomicInteger answered = new AtomicInteger();

  private RehearsalEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Starts answering on a free port of the loopback interface. */
  static RehearsalEndpoint start() {
    try {
      // IPv4's loopback, which every host has: an IPv6 literal would need brackets in the URI and
      // the request's host alike.
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 4);
      RehearsalEndpoint endpoint = new RehearsalEndpoint(server);
      server.createContext("/", endpoint::answer);
      server.start();
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a loopback port for the CloudWatch rehearsal", e);
    }
  }

  /** Where the rehearsal is sent: plain HTTP on the loopback. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many calls were answered. */
  int answered() {
    return answered.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
      exchange.getResponseHeaders().set("Content-Type", "application/cbor");
      exchange.getResponseHeaders().set("Smithy-Protocol", "rpc-v2-cbor");
      // The connection is not kept: the SDK's pool would otherwise hold a channel to a port that
      // is closed right after.
      exchange.getResponseHeaders().set("Connection", "close");
      exchange.sendResponseHeaders(200, EMPTY_CBOR_MAP.length);
      exchange.getResponseBody().write(EMPTY_CBOR_MAP);
      answered.incrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
