package dev.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server for the fault cases of keep-alive connections: for each request it has read
 * (head and body), a {@link Policy} decides whether to answer, to answer and close, or to close
 * without answering. Every request it read is kept, so a test can compare what the server received
 * with what the client reported.
 */
final class FaultyServer implements AutoCloseable {

  /** What the server does with a request it has read. */
  enum Action {
    /** Answers {@code 200} with a small body and keeps the connection. */
    ANSWER,
    /** Answers {@code 200}, then closes the connection without saying so (no {@code Connection: close}). */
    ANSWER_THEN_CLOSE,
    /** Closes the connection without answering. */
    CLOSE_SILENTLY
  }

  /** Decides the action for the {@code n}-th request (from 0) read on one connection. */
  @FunctionalInterface
  interface Policy {
    Action decide(int requestOnConnection, String head);
  }

  /** A request as the server read it. */
  record Received(String method, String body, int connection) {}

  private final ServerSocket server;
  private final Policy policy;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  /** Connections the server has closed. */
  final AtomicInteger closed = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  FaultyServer(Policy policy) throws IOException {
    this.policy = policy;
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The bodies of the requests with {@code method} the server read, in order. */
  List<String> bodies(String method) {
    return received.stream().filter(r -> r.method().equals(method)).map(Received::body).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        int id = connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket, id));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, int id) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (int n = 0; ; n++) {
        String head = ScriptedServer.readHead(in);
        if (head == null) {
          return;
        }
        byte[] body = in.readNBytes(ScriptedServer.contentLength(head));
        received.add(new Received(head.substring(0, head.indexOf(' ')), new String(body, StandardCharsets.UTF_8), id));
        Action action = policy.decide(n, head);
        if (action == Action.CLOSE_SILENTLY) {
          return;
        }
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (action == Action.ANSWER_THEN_CLOSE) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away or the test ended
    } finally {
      closed.incrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
