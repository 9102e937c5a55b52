package dev.stampede.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The step that turns a connection to an HTTP proxy into a tunnel to an https origin
 * (RFC 9110 section 9.3.6): {@code CONNECT host:port}, and a 2xx answer. TLS with the origin is
 * then layered over the same connection, whatever speaks it (an {@code SSLSocket} over the socket,
 * or an {@code SSLEngine} over its streams); this step only needs the connection's streams.
 */
final class ProxyTunnel {

  /** The longest proxy answer head accepted, in bytes. */
  private static final int MAX_HEAD = 16 * 1024;

  private ProxyTunnel() {}

  /**
   * Asks {@code proxy} for a tunnel to {@code target}'s host and port and reads its answer, leaving
   * the streams at the first byte of the tunnel. The caller bounds the time (a socket timeout).
   *
   * @throws ProxyException when the proxy answers anything but 2xx (407: authentication required)
   * @throws IOException when the proxy closes the connection or answers something that is not HTTP
   */
  static void open(InputStream in, OutputStream out, Target target, Proxies.Proxy proxy) throws IOException {
    String authority = (target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host()) + ":"
        + target.port();
    StringBuilder request = new StringBuilder(128).append("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
        .append(authority).append("\r\n");
    if (proxy.authorization() != null) {
      request.append("Proxy-Authorization: ").append(proxy.authorization()).append("\r\n");
    }
    request.append("\r\n");
    out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String statusLine = readHead(in, proxy);
    if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' ') {
      throw new ProxyException(proxy + " answered CONNECT with something that is not HTTP: "
          + (statusLine.length() > 80 ? statusLine.substring(0, 80) + "..." : statusLine));
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new ProxyException(proxy + " answered CONNECT with a bad status line: " + statusLine);
    }
    if (status < 200 || status > 299) {
      String reason = statusLine.length() > 13 ? statusLine.substring(13).trim() : ReasonPhrases.of(status);
      throw new ProxyException(proxy + " refused the tunnel to " + authority + ": HTTP " + status
          + (reason.isEmpty() ? "" : " " + reason)
          + (status == 407 ? (proxy.authorization() == null ? " (the proxy URL has no credentials)"
              : " (the proxy did not accept the credentials)") : ""));
    }
  }

  /** Reads the answer's head byte by byte (the tunnel's first bytes must stay unread); returns its status line. */
  private static String readHead(InputStream in, Proxies.Proxy proxy) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(128);
    int last = 0; // the last four bytes read
    while (last != 0x0d0a0d0a && (last & 0xffff) != 0x0a0a) { // CR LF CR LF, or a bare LF LF
      int b = in.read();
      if (b < 0) {
        throw new EOFException(proxy + " closed the connection during CONNECT");
      }
      if (head.size() == MAX_HEAD) {
        throw new ProxyException(proxy + " answered CONNECT with a head longer than " + MAX_HEAD + " bytes");
      }
      head.write(b);
      last = (last << 8) | b;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf('\n');
    return text.substring(0, end > 0 && text.charAt(end - 1) == '\r' ? end - 1 : end);
  }

  /** The proxy refused or botched the tunnel; the message says which proxy (never its credentials) and why. */
  static final class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    ProxyException(String message) {
      super(message);
    }
  }
}
