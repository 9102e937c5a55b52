package dev.stampede.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers each request with the next scripted raw response, byte for byte,
 * for the wire cases a real server will not produce on demand (no length, HEAD with a length,
 * interim 1xx, a keep-alive connection closed without notice).
 */
final class ScriptedServer implements AutoCloseable {

  /**
   * A raw response, whether the server closes the connection after writing it, and how many bytes
   * it writes at a time (0: all at once), to make the client read a response in pieces.
   */
  record Reply(String raw, boolean closeAfter, int pieceSize) {}

  private final ServerSocket server;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  ScriptedServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  ScriptedServer reply(String raw) {
    replies.add(new Reply(raw, false, 0));
    return this;
  }

  /** Replies {@code pieceSize} bytes per write, with a short pause between writes. */
  ScriptedServer replyInPieces(String raw, int pieceSize) {
    replies.add(new Reply(raw, false, pieceSize));
    return this;
  }

  ScriptedServer replyAndClose(String raw) {
    replies.add(new Reply(raw, true, 0));
    return this;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = contentLength(head);
        in.readNBytes(length);
        requests.add(head);
        Reply reply = replies.poll(5, TimeUnit.SECONDS);
        if (reply == null) {
          return;
        }
        byte[] bytes = reply.raw().getBytes(StandardCharsets.ISO_8859_1);
        int piece = reply.pieceSize() > 0 ? reply.pieceSize() : bytes.length;
        for (int i = 0; i < bytes.length; i += piece) {
          out.write(bytes, i, Math.min(piece, bytes.length - i));
          out.flush();
          if (reply.pieceSize() > 0) {
            Thread.sleep(1);
          }
        }
        if (reply.closeAfter()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away or the test ended
    }
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
