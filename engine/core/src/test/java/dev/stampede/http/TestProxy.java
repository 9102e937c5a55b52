package dev.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy on raw sockets that records every request head it receives: it forwards
 * plain requests in absolute form to their origin (responses framed by Content-Length), and answers
 * {@code CONNECT} with 200 and then relays bytes both ways. With {@link #requireCredentials} it
 * answers 407 unless {@code Proxy-Authorization} carries them.
 */
public final class TestProxy implements AutoCloseable {

  private final ServerSocket server;
  /** Every request head received, as it came. */
  public final List<String> heads = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile String requiredAuthorization;

  public TestProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  /** Answers 407 to requests without {@code Proxy-Authorization: <value>}. */
  public TestProxy requireCredentials(String authorizationValue) {
    this.requiredAuthorization = authorizationValue;
    return this;
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The first line of each request head received. */
  public List<String> requestLines() {
    return heads.stream().map(h -> h.substring(0, h.indexOf("\r\n"))).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        String head = ScriptedServer.readHead(in);
        if (head == null) {
          return;
        }
        heads.add(head);
        byte[] body = in.readNBytes(ScriptedServer.contentLength(head));
        String required = requiredAuthorization;
        if (required != null && !head.contains("\r\nProxy-Authorization: " + required + "\r\n")) {
          out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
              + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          continue;
        }
        String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
        if (requestLine[0].equals("CONNECT")) {
          tunnel(requestLine[1], client, in, out);
          return;
        }
        forward(URI.create(requestLine[1]), requestLine[0], head, body, out);
      }
    } catch (IOException e) {
      // a side went away
    }
  }

  private static void forward(URI target, String method, String head, byte[] body, OutputStream out)
      throws IOException {
    try (Socket origin = new Socket(target.getHost(), target.getPort() == -1 ? 80 : target.getPort())) {
      String originForm = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
      StringBuilder forwarded = new StringBuilder(method + " " + originForm + " HTTP/1.1\r\n");
      for (String line : head.substring(head.indexOf("\r\n") + 2).split("\r\n")) {
        if (!line.isEmpty() && !line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
          forwarded.append(line).append("\r\n");
        }
      }
      forwarded.append("\r\n");
      OutputStream toOrigin = origin.getOutputStream();
      toOrigin.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
      toOrigin.write(body);
      toOrigin.flush();
      InputStream fromOrigin = origin.getInputStream();
      String responseHead = ScriptedServer.readHead(fromOrigin);
      if (responseHead == null) {
        return;
      }
      out.write(responseHead.getBytes(StandardCharsets.ISO_8859_1));
      out.write(fromOrigin.readNBytes(ScriptedServer.contentLength(responseHead)));
      out.flush();
    }
  }

  private void tunnel(String authority, Socket client, InputStream in, OutputStream out) throws IOException {
    int colon = authority.lastIndexOf(':');
    try (Socket origin = new Socket(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)))) {
      sockets.add(origin);
      out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread upstream = Thread.ofVirtual().start(() -> relay(in, origin));
      relay(origin.getInputStream(), client);
      upstream.interrupt();
    }
  }

  private static void relay(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // a side went away
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
