package dev.stampede.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Http;
import dev.stampede.RequestOptions;
import dev.stampede.Response;
import dev.stampede.Tls;
import dev.stampede.engine.ResultSink;
import dev.stampede.http.Connection.GrowableBytes;
import dev.stampede.http.Connection.MalformedResponseException;
import dev.stampede.http.Connection.RawResponse;
import dev.stampede.http.Connection.ResponseTimeoutException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLContext;

/**
 * One virtual user's HTTP client: its own keep-alive connection per origin (scheme, host, port)
 * and its own cookies, like one browser session. Over {@code https} it speaks HTTP/2 where the
 * server offers it by ALPN, else HTTP/1.1 ({@link Builder#httpVersion} forces either, and h2c for
 * plain HTTP); an HTTP/2 connection carries the user's requests as streams, with the same
 * headers, cookies, redirects, decoding and failures as HTTP/1.1 (decision 0008). Every request is timed from before the
 * connection is taken (so a new connection's connect and TLS handshake count) until the response
 * body has been read completely, and recorded exactly once in the {@link ResultSink}.
 *
 * <p>What counts as a failure, each with a readable message: no response (connection refused,
 * unknown host, connect or response timeout, a connection closed early, a malformed response), a
 * status outside 2xx and 3xx that {@link RequestOptions#allowStatus} does not allow (e.g.
 * {@code HTTP 503 Service Unavailable}), and a failed {@link RequestOptions#expect check}, whose
 * message is the check's.
 *
 * <p>Redirects: {@code GET} and {@code HEAD} follow up to {@value #MAX_REDIRECTS} redirects
 * (301, 302, 303, 307, 308 with a {@code Location}, resolved by RFC 3986 section 5.2, so
 * {@code ?page=2} from {@code /list} goes to {@code /list?page=2}), as a browser would for a navigation; the chain
 * is recorded as one request under the original name, with the final status and body, and a chain
 * longer than that is a failure. {@code Authorization} is not sent to another origin. Other
 * methods never follow: their 3xx response is returned (and is a success).
 *
 * <p>Request URLs: a path starting with {@code /} is appended to the base URL (so a base of
 * {@code http://host/api} and a path of {@code /users} give {@code http://host/api/users}, as
 * Locust does); an {@code http://} or {@code https://} URL is used as it is. Characters a URL may not
 * contain (non-ASCII, space, {@code " < > \ ^ ` { | }}) are percent-encoded as UTF-8 in both, and
 * control characters are refused ({@link Urls}). The default result name is the path as given,
 * without its query string (and without credentials).
 *
 * <p>Proxies ({@link Builder#proxies}, none by default): plain HTTP goes to the proxy with the
 * absolute URL as request-target over one keep-alive connection per proxy; https goes through a
 * {@code CONNECT} tunnel per origin ({@link ProxyTunnel}), with TLS to the origin inside it.
 *
 * <p>Credentials: the user information of the base URL or of an absolute URL
 * ({@code http://user:password@host/}) is sent as {@code Authorization: Basic}, unless the request
 * or the session sets an {@code Authorization} header of its own, to that origin only (a redirect
 * elsewhere drops it). It never appears in a recorded URL, a result name or a message.
 *
 * <p>Never a request twice on its own (RFC 9112 section 9.3.1): a pooled keep-alive connection is
 * checked for the server's close before it is reused (without blocking), and a request on a reused
 * connection that fails before the server sent a single byte is sent once more on a new
 * connection only when its method is idempotent ({@code GET}, {@code HEAD}, {@code PUT},
 * {@code DELETE}, {@code OPTIONS}, {@code TRACE}). A {@code POST} or {@code PATCH} that finds its
 * connection closed is a failure that says it was not retried: the server may have acted on it.
 * Over HTTP/2 the same rule holds, plus one: a stream the server refused ({@code REFUSED_STREAM}) or
 * cut off with a {@code GOAWAY} below its number was not processed (RFC 9113 sections 8.7 and 6.8),
 * so it is sent once more on a new connection whatever its method. A pooled HTTP/2 connection is
 * checked before reuse by reading, without waiting, what has arrived on it: a {@code GOAWAY} or the
 * server's close sends the request on a new connection instead. An HTTP/2 request that times out
 * resets only its stream, and its connection carries the next requests, unless nothing at all
 * arrived on it during the whole timeout (then the connection is closed as for HTTP/1.1).
 *
 * <p>Bodies: {@code Accept-Encoding: gzip, deflate} is sent by default and the body is decoded when
 * the scenario reads it; the result's {@code bytes} count the body as it arrived. A body longer
 * than the keep limit (default {@value #DEFAULT_MAX_BODY_KEPT} bytes) is read to its end, counted
 * and dropped, so a large download costs no memory; reading it then fails with a message that
 * names the limit. Any failure during an exchange, an {@link Error} included, closes its
 * connection.
 *
 * <p>Not thread-safe: a session belongs to one user, which runs on one (virtual) thread. Blocking
 * socket I/O parks a virtual thread without holding a carrier, which is why a blocking client is
 * the fast choice here (see BENCHMARKS.md).
 */
public final class HttpSession implements Http, AutoCloseable {

  /** Redirects followed for {@code GET} and {@code HEAD} before the request fails. */
  public static final int MAX_REDIRECTS = 5;

  /** The default connect timeout: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The default response timeout: 60 seconds. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  /** The default {@code User-Agent} header. */
  public static final String DEFAULT_USER_AGENT = "Stampede";

  /** The default {@code Accept-Encoding} header: the encodings the client decodes. */
  public static final String DEFAULT_ACCEPT_ENCODING = "gzip, deflate";

  /** The default limit on a body kept for the scenario to read: 4 MiB (as it arrives and decoded). */
  public static final int DEFAULT_MAX_BODY_KEPT = 4 * 1024 * 1024;

  /** The largest keep limit that can be set: a body is kept in one array. */
  public static final int MAX_BODY_KEPT_LIMIT = Integer.MAX_VALUE - 16;

  /** Methods that may be sent again after a connection failed before any response byte (RFC 9110 9.2.2). */
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS",
      "TRACE");

  private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

  private final PathResolver paths;
  private final ResultSink sink;
  private final int connectTimeoutMillis;
  private final long responseTimeoutNanos;
  private final long maxBodyKept;
  private final ObjectMapper mapper;
  /** Names and values, alternating. */
  private final String[] defaultHeaders;
  /** {@link #defaultHeaders} encoded once: what most requests, which set no header, send. */
  private final byte[] defaultHeaderBytes;
  /** Whether {@link #defaultHeaders} has an {@code Authorization} header, which wins over a URL's credentials. */
  private final boolean defaultAuthorization;
  private final Clock clock;
  private final TlsClient tls;
  private final Proxies proxies;
  private final HttpVersion version;
  /** The proxy of the last request's last exchange, or {@code null}: for its failure message. */
  private Proxies.Proxy lastProxy;
  private final Map<String, Connection> connections = new HashMap<>(4);
  private final CookieJar cookies = new CookieJar();
  private String lastPath;
  private PathResolver.Resolved last;
  /** The last request line and Host header encoded, and for which method and target. */
  private String encodedMethod;
  private Target encodedTarget;
  private byte[] encodedRequestLine;
  private boolean closed;

  private HttpSession(Builder builder) {
    this.sink = Objects.requireNonNull(builder.sink, "sink");
    this.paths = builder.paths;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, builder.connectTimeout.toMillis()));
    this.responseTimeoutNanos = builder.responseTimeout.toNanos();
    this.maxBodyKept = builder.maxBodyKept;
    this.mapper = builder.mapper;
    Map<String, String> headers = new LinkedHashMap<>(builder.headers);
    if (headers.keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
      headers.put("User-Agent", DEFAULT_USER_AGENT);
    }
    if (builder.acceptEncoding != null && headers.keySet().stream().noneMatch("Accept-Encoding"::equalsIgnoreCase)) {
      headers.put("Accept-Encoding", builder.acceptEncoding);
    }
    List<String> flat = new ArrayList<>();
    headers.forEach((name, value) -> {
      flat.add(name);
      flat.add(value);
    });
    this.defaultHeaders = flat.toArray(new String[0]);
    GrowableBytes encoded = new GrowableBytes(256);
    for (int i = 0; i < defaultHeaders.length; i += 2) {
      writeHeader(encoded, defaultHeaders[i], defaultHeaders[i + 1]);
    }
    this.defaultHeaderBytes = Arrays.copyOf(encoded.array(), encoded.size());
    this.defaultAuthorization = headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase);
    this.clock = builder.clock;
    this.tls = builder.tls;
    this.proxies = builder.proxies;
    this.version = builder.version;
  }

  /** A builder; {@link Builder#sink} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException for a malformed URL or one with a control character, a header
   *     value with a non-ASCII or control character, or a body that cannot be serialised
   * @throws IllegalStateException for a path without a base URL, or after {@link #close}
   */
  @Override
  public Response request(String method, String path, Consumer<RequestOptions> options) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (closed) {
      throw new IllegalStateException("session is closed");
    }
    requireToken("method", method);
    RequestSpec spec = new RequestSpec(mapper);
    if (options != null) {
      options.accept(spec);
    }
    Target target = resolve(path);
    String name = spec.name != null ? spec.name : defaultName(path);
    long timeoutNanos = spec.timeoutNanos > 0 ? spec.timeoutNanos : responseTimeoutNanos;
    long keepLimit = spec.maxBodyKept >= 0 ? spec.maxBodyKept : maxBodyKept;

    long startEpochMicros = epochMicros(clock.instant());
    long start = System.nanoTime();
    sink.started(start);
    Exchange exchange = null;
    String failure = null;
    lastProxy = null;
    if (Thread.currentThread().isInterrupted()) {
      // A user cut off at stop goes on with its task: what it would send now is no part of the run.
      failure = "cancelled: the thread is interrupted";
    } else {
      try {
        exchange = execute(method, target, spec, start + timeoutNanos, timeoutNanos, keepLimit);
      } catch (IOException e) {
        failure = describe(e, target, lastProxy);
      }
    }
    long end = System.nanoTime();
    return finish(method, name, target == last.target() ? last.url() : target.url(), spec, keepLimit,
        startEpochMicros, start, end, exchange, failure);
  }

  /** Makes the response of one request, judges it and records it. */
  private Response finish(String method, String name, String url, RequestSpec spec, long keepLimit,
      long startEpochMicros, long start, long end, Exchange exchange, String failure) {
    ReceivedResponse response;
    if (exchange == null) {
      response = ReceivedResponse.none(failure, end - start, mapper);
    } else {
      RawResponse raw = exchange.raw;
      response = new ReceivedResponse(raw.status(), raw.head(), raw.body(), raw.bodyLength(), keepLimit, end - start,
          mapper);
      failure = judge(response, spec, exchange.tooManyRedirects);
      if (failure != null && lastProxy != null && response.status() == 407) {
        failure += " (from " + lastProxy + (lastProxy.authorization() == null
            ? ", which wants credentials in the proxy URL" : ", which did not accept the credentials") + ")";
      }
      response.fail(failure);
    }
    sink.recordExchange(method, name, startEpochMicros, start, end, response.receivedBytes(), response.status(), failure,
        url, response);
    return response;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: when every path is on one origin and the user's connection to it speaks HTTP/2 (it is
   * opened first if there is none), every request goes out as a stream before any response is read,
   * and the responses are read as they arrive; a redirect among them is then followed on its own.
   * A stream the server refused (not processed) is sent again on its own. Each stream has its own
   * response timeout from when it was sent: a late one is reset and fails while the others go on.
   * Otherwise, one after another.
   *
   * @throws IllegalArgumentException for a malformed URL among {@code paths}
   * @throws IllegalStateException for a path without a base URL, or after {@link #close}
   */
  @Override
  public List<Response> batch(List<String> paths) {
    Objects.requireNonNull(paths, "paths");
    if (closed) {
      throw new IllegalStateException("session is closed");
    }
    int count = paths.size();
    Connection connection = count < 2 ? null : http2ConnectionFor(paths);
    if (connection == null) {
      return Http.super.batch(paths);
    }
    PathResolver.Resolved[] resolved = new PathResolver.Resolved[count];
    for (int i = 0; i < count; i++) {
      resolved[i] = this.paths.resolve(paths.get(i));
    }
    RequestSpec spec = new RequestSpec(mapper);
    long startEpochMicros = epochMicros(clock.instant());
    long start = System.nanoTime();
    long deadline = start + responseTimeoutNanos;
    Http2Codec.Stream[] streams = new Http2Codec.Stream[count];
    IOException[] failures = new IOException[count];
    RawResponse[] raws = new RawResponse[count];
    long[] ends = new long[count];
    connection.beginResponse(deadline, responseTimeoutNanos);
    try {
      for (int i = 0; i < count; i++) {
        sink.started(start);
        Target target = resolved[i].target();
        GrowableBytes request = new GrowableBytes(LentBuffers.take());
        try {
          encode(request, "GET", target, spec, false, target.basicAuth(), null);
          streams[i] = connection.sendStream(request.array(), request.size());
        } catch (IOException e) {
          failures[i] = e;
        } finally {
          LentBuffers.give(request.array());
        }
      }
      for (int i = 0; i < count; i++) {
        if (streams[i] != null) {
          try {
            raws[i] = connection.await(streams[i], maxBodyKept);
            List<String> setCookies = setCookies(raws[i]);
            if (setCookies != null) {
              cookies.store(resolved[i].target(), setCookies, clock.millis());
            }
          } catch (IOException e) {
            failures[i] = e;
          }
          ends[i] = streams[i].doneNanos() != 0 ? streams[i].doneNanos() : System.nanoTime();
        }
      }
      connection.endResponse();
    } catch (Throwable e) {
      discard(connection);
      throw e;
    }
    boolean broken = false;
    for (IOException failure : failures) {
      broken |= failure != null && !keepsConnection(failure);
    }
    if (broken || connection.isStale()) {
      discard(connection);
    }
    List<Response> responses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String path = paths.get(i);
      if (failures[i] instanceof Http2Codec.StreamException refused && refused.notProcessed()) {
        responses.add(get(path)); // not processed by the server: sent again on its own, and recorded then
        continue;
      }
      Target target = resolved[i].target();
      Exchange exchange = null;
      String failure = null;
      try {
        if (raws[i] != null) {
          exchange = execute("GET", target, spec, deadline, responseTimeoutNanos, maxBodyKept, raws[i]);
          if (exchange.raw != raws[i]) {
            ends[i] = System.nanoTime(); // a redirect was followed
          }
        } else {
          failure = describe(failures[i], target);
          ends[i] = ends[i] == 0 ? System.nanoTime() : ends[i];
        }
      } catch (IOException e) {
        failure = describe(e, target);
        ends[i] = System.nanoTime();
      }
      responses.add(finish("GET", defaultName(path), resolved[i].url(), spec, maxBodyKept, startEpochMicros, start,
          ends[i], exchange, failure));
    }
    return responses;
  }

  /**
   * The user's HTTP/2 connection for {@code paths} when all are on one origin reached without a
   * forward proxy, opened now if the user has none; {@code null} when they are not, or when the
   * connection does not speak HTTP/2 (or cannot be opened: the requests then fail one by one).
   */
  private Connection http2ConnectionFor(List<String> paths) {
    if (Thread.currentThread().isInterrupted()) {
      return null;
    }
    Target first = this.paths.resolve(paths.get(0)).target();
    for (String path : paths) {
      if (!this.paths.resolve(path).target().origin().equals(first.origin())) {
        return null;
      }
    }
    Proxies.Proxy proxy = proxies.isNone() ? null : proxies.select(first);
    if (proxy != null && !first.https()) {
      return null;
    }
    String key = proxy == null ? first.origin() : Connection.key(first, proxy);
    Connection connection = connections.get(key);
    if (connection != null && connection.isStale()) {
      discard(connection);
      connection = null;
    }
    if (connection == null) {
      try {
        connection = Connection.open(first, proxy, connectTimeoutMillis, tls(), version);
      } catch (IOException e) {
        return null;
      }
      connections.put(key, connection);
    }
    return connection.http2() ? connection : null;
  }

  /** Forgets every cookie this session holds. */
  public void clearCookies() {
    cookies.clear();
  }

  /** Closes every connection; the session cannot be used afterwards. */
  @Override
  public void close() {
    closed = true;
    for (Connection connection : connections.values()) {
      connection.close();
    }
    connections.clear();
  }

  /**
   * Whether a pooled connection is one the server has closed (or sent unasked bytes on), as the
   * next request would find it; for tests, which wait for it instead of sleeping.
   */
  boolean pooledConnectionClosedByServer() {
    return connections.values().stream().anyMatch(Connection::isStale);
  }

  /** The number of open keep-alive connections, for tests. */
  int openConnections() {
    return connections.size();
  }

  /** The value of a cookie that would be sent with a request to {@code path}, for tests. */
  String cookie(String path, String name) {
    return cookies.value(resolve(path), name, clock.millis());
  }

  private record Exchange(RawResponse raw, boolean tooManyRedirects) {}

  private Exchange execute(String method, Target target, RequestSpec spec, long deadline, long timeoutNanos,
      long keepLimit) throws IOException {
    return execute(method, target, spec, deadline, timeoutNanos, keepLimit, null);
  }

  /** Like the above, with the first response already received when {@code first} is not null. */
  private Exchange execute(String method, Target target, RequestSpec spec, long deadline, long timeoutNanos,
      long keepLimit, RawResponse first) throws IOException {
    boolean followRedirects = method.equals("GET") || method.equals("HEAD");
    Target current = target;
    for (int redirects = 0; ; redirects++) {
      boolean crossOrigin = !current.origin().equals(target.origin());
      // Credentials of the URL go to its origin only: a redirect within it keeps them, one elsewhere
      // drops them unless its Location carries its own.
      String basicAuth = current.basicAuth() != null || crossOrigin ? current.basicAuth() : target.basicAuth();
      RawResponse raw = redirects == 0 && first != null ? first
          : exchange(method, current, spec, crossOrigin, basicAuth, deadline, timeoutNanos, keepLimit);
      if (!followRedirects || !isRedirect(raw.status())) {
        return new Exchange(raw, false);
      }
      String location = header(raw, "location");
      if (location == null) {
        return new Exchange(raw, false);
      }
      if (redirects == MAX_REDIRECTS) {
        return new Exchange(raw, true);
      }
      try {
        current = Target.of(PathResolver.parse(Urls.resolve(current.url(), Urls.encodeLocation(location.trim()))));
      } catch (IllegalArgumentException e) {
        throw new MalformedResponseException("bad redirect Location: " + Urls.redact(location));
      }
    }
  }

  /**
   * Sends one request and reads its response. A pooled connection the server has closed is
   * replaced before the request is sent; one that turns out closed while the request is sent is
   * retried on a new connection only under the rules in the class comment.
   */
  private RawResponse exchange(String method, Target target, RequestSpec spec, boolean crossOrigin, String basicAuth,
      long deadline, long timeoutNanos, long keepLimit) throws IOException {
    GrowableBytes request = new GrowableBytes(LentBuffers.take());
    try {
      Proxies.Proxy proxy = proxies.isNone() ? null : proxies.select(target);
      lastProxy = proxy;
      encode(request, method, target, spec, crossOrigin, basicAuth, proxy != null && !target.https() ? proxy : null);
      boolean head = method.equals("HEAD");
      String key = proxy == null ? target.origin() : Connection.key(target, proxy);
      Connection connection = connections.get(key);
      if (connection != null && connection.isStale()) {
        discard(connection);
        connection = null;
      }
      if (connection != null) {
        try {
          return roundTrip(connection, target, request, head, deadline, timeoutNanos, keepLimit);
        } catch (IOException e) {
          if (Thread.currentThread().isInterrupted()) {
            // An interrupted user is being stopped: its closed socket is no stale connection to retry.
            throw e;
          }
          if (e instanceof Http2Codec.StreamException stream) {
            if (!stream.notProcessed()) {
              throw e; // the server answered this stream with a reset: not a connection lost on the way
            }
          } else {
            if (e instanceof SocketTimeoutException || !connection.nothingReceived()) {
              throw e;
            }
            if (!IDEMPOTENT.contains(method)) {
              throw new NotRetriedException(method, e);
            }
          }
          // The server closed the keep-alive connection (or refused the stream) before our request reached it.
        }
      }
      connection = Connection.open(target, proxy, spec.connectTimeoutMillis > 0 ? spec.connectTimeoutMillis
          : connectTimeoutMillis, tls(), version);
      connections.put(key, connection);
      return roundTrip(connection, target, request, head, deadline, timeoutNanos, keepLimit);
    } finally {
      LentBuffers.give(request.array());
    }
  }

  private RawResponse roundTrip(Connection connection, Target target, GrowableBytes request, boolean head,
      long deadline, long timeoutNanos, long keepLimit) throws IOException {
    try {
      connection.beginResponse(deadline, timeoutNanos);
      connection.send(request.array(), request.size());
      RawResponse raw = connection.readResponse(head, keepLimit);
      if (!raw.keepAlive()) {
        discard(connection);
      }
      List<String> setCookies = setCookies(raw);
      if (setCookies != null) {
        cookies.store(target, setCookies, clock.millis());
      }
      return raw;
    } catch (Throwable e) {
      // Whatever went wrong (an OutOfMemoryError included), the connection's state is unknown: a
      // pooled connection with half a response in it would poison the next request. Only an HTTP/2
      // stream reset or refused by the server, or given up at its deadline, leaves its connection as it was.
      if (!(e instanceof IOException failure && keepsConnection(failure)) || connection.isStale()) {
        discard(connection);
      }
      throw e;
    }
  }

  /**
   * Whether an HTTP/2 request's failure ended only its stream: reset or refused by the server, or
   * reset by us at its deadline while the connection went on answering (see {@link Http2Codec}).
   */
  private static boolean keepsConnection(IOException failure) {
    return failure instanceof Http2Codec.StreamException
        || failure instanceof ResponseTimeoutException timeout && timeout.connectionKept();
  }

  /**
   * A request with a non-idempotent method whose reused connection failed before any response:
   * the server may have received and acted on it, so it is not sent again (RFC 9112 9.3.1).
   */
  static final class NotRetriedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String method;

    NotRetriedException(String method, IOException cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
      this.method = method;
    }

    String method() {
      return method;
    }
  }

  private void discard(Connection connection) {
    connection.close();
    connections.remove(connection.origin, connection);
  }

  /**
   * Writes the request into {@code out}.
   *
   * @param forwardProxy the proxy a plain-HTTP request goes through, or {@code null}: the request
   *     line then carries the absolute URL (RFC 9112 section 3.2.2), and the proxy's credentials go
   *     in {@code Proxy-Authorization}
   */
  private void encode(GrowableBytes out, String method, Target target, RequestSpec spec, boolean crossOrigin,
      String basicAuth, Proxies.Proxy forwardProxy) {
    // A user mostly repeats its requests: the request line and Host header are encoded once per
    // method and target, and copied from then on (encoding them char by char was a measurable
    // share of the client's CPU per request, BENCHMARKS.md sixth round). resolve() hands out the
    // same Target object while the path repeats, so identity suffices for the target.
    if (!method.equals(encodedMethod) || target != encodedTarget) {
      GrowableBytes line = new GrowableBytes(128);
      line.writeLatin1(method);
      line.write(' ');
      if (forwardProxy != null) { // the same for a target every time: a session's proxies do not change
        line.writeLatin1("http://");
        line.writeLatin1(target.hostHeader());
      }
      line.writeLatin1(target.requestTarget());
      line.writeLatin1(" HTTP/1.1\r\nHost: ");
      line.writeLatin1(target.hostHeader());
      line.writeLatin1("\r\n");
      encodedRequestLine = Arrays.copyOf(line.array(), line.size());
      encodedMethod = method;
      encodedTarget = target;
    }
    out.write(encodedRequestLine, 0, encodedRequestLine.length);
    if (spec.headers.isEmpty() && !crossOrigin) {
      out.write(defaultHeaderBytes, 0, defaultHeaderBytes.length);
    } else {
      for (int i = 0; i < defaultHeaders.length; i += 2) {
        String name = defaultHeaders[i];
        if (!spec.hasHeader(name) && !(crossOrigin && name.equalsIgnoreCase("Authorization"))) {
          writeHeader(out, name, defaultHeaders[i + 1]);
        }
      }
    }
    if (basicAuth != null && !spec.hasHeader("Authorization") && (crossOrigin || !defaultAuthorization)) {
      writeHeader(out, "Authorization", basicAuth);
    }
    if (forwardProxy != null && forwardProxy.authorization() != null) {
      writeHeader(out, "Proxy-Authorization", forwardProxy.authorization());
    }
    List<String> headers = spec.headers;
    boolean userCookie = false;
    for (int i = 0; i < headers.size(); i += 2) {
      String name = headers.get(i);
      if (crossOrigin && name.equalsIgnoreCase("Authorization")) {
        continue;
      }
      userCookie |= name.equalsIgnoreCase("Cookie");
      writeHeader(out, name, headers.get(i + 1));
    }
    if (!userCookie) {
      String cookie = cookies.header(target, clock.millis());
      if (cookie != null) {
        writeHeader(out, "Cookie", cookie);
      }
    }
    byte[] body = spec.body;
    if (body != null && spec.contentType != null && !spec.hasHeader("Content-Type")) {
      writeHeader(out, "Content-Type", spec.contentType);
    }
    if (body != null || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      writeHeader(out, "Content-Length", Integer.toString(body == null ? 0 : body.length));
    }
    out.writeLatin1("\r\n");
    if (body != null) {
      out.write(body, 0, body.length);
    }
  }

  private static void writeHeader(GrowableBytes out, String name, String value) {
    out.writeLatin1(name);
    out.writeLatin1(": ");
    out.writeLatin1(value);
    out.writeLatin1("\r\n");
  }

  private Target resolve(String path) {
    if (!path.equals(lastPath)) {
      last = paths.resolve(path);
      lastPath = path;
    }
    return last.target();
  }

  private static String defaultName(String path) {
    path = Urls.withoutUserInfo(path);
    int end = path.length();
    int query = path.indexOf('?');
    if (query >= 0) {
      end = query;
    }
    int fragment = path.indexOf('#');
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    return end == path.length() ? path : path.substring(0, end);
  }

  private String judge(ReceivedResponse response, RequestSpec spec, boolean tooManyRedirects) {
    int status = response.status();
    if (tooManyRedirects) {
      return "too many redirects (more than " + MAX_REDIRECTS + ")";
    }
    if ((status < 200 || status >= 400) && !spec.allowed(status)) {
      String reason = response.reason().isEmpty() ? ReasonPhrases.of(status) : response.reason();
      return reason.isEmpty() ? "HTTP " + status : "HTTP " + status + " " + reason;
    }
    if (spec.checks != null) {
      for (RequestSpec.Check check : spec.checks) {
        try {
          if (!check.predicate().test(response)) {
            return check.message();
          }
        } catch (RuntimeException e) {
          return check.message() + " (the check threw " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
      }
    }
    return null;
  }

  /** A readable message for a request that got no (complete) response. */
  static String describe(IOException e, Target target) {
    return describe(e, target, null);
  }

  /** A readable message for a request (through {@code proxy} unless null) that got no (complete) response. */
  static String describe(IOException e, Target target, Proxies.Proxy proxy) {
    String where = target.host() + ":" + target.port() + (proxy == null ? "" : " via " + proxy);
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof ProxyTunnel.ProxyException) {
      return message;
    }
    if (proxy != null && e instanceof UnknownHostException) {
      return "unknown host " + proxy.host() + " (the proxy)";
    }
    if (e instanceof NotRetriedException notRetried) {
      return describe((IOException) notRetried.getCause(), target, proxy) + " on a reused keep-alive connection; "
          + notRetried.method() + " is not idempotent, so it was not sent again (the server may have received it)";
    }
    if (e instanceof ResponseTimeoutException) {
      return message;
    }
    if (e instanceof Http2Codec.StreamException) {
      return message + " (" + where + ")";
    }
    if (e instanceof ProtocolException) {
      return "protocol error (" + where + "): " + message;
    }
    if (e instanceof SocketTimeoutException) {
      return message.contains("onnect") ? "connect timed out (" + where + ")" : "response timed out (" + where + ")";
    }
    if (e instanceof ConnectException) {
      return message.toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused (" + where + ")"
          : "connect failed (" + where + "): " + message;
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + target.host();
    }
    if (e instanceof SSLException) {
      return "TLS failed (" + where + "): " + tlsReason(e, message);
    }
    if (e instanceof MalformedResponseException) {
      return "malformed response (" + where + "): " + message;
    }
    if (e instanceof EOFException) {
      return message + " (" + where + ")";
    }
    if (e instanceof SocketException && message.toLowerCase(Locale.ROOT).contains("reset")) {
      return "connection reset (" + where + ")";
    }
    return e.getClass().getSimpleName() + " (" + where + ")" + (message.isEmpty() ? "" : ": " + message);
  }

  /**
   * BoringSSL's engine reports a certificate our trust manager refused as a "General OpenSslEngine
   * problem": the trust manager's reason (untrusted chain, wrong host) is in the causes.
   */
  private static String tlsReason(IOException e, String message) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof java.security.cert.CertificateException && cause.getMessage() != null) {
        return cause.getMessage().lines().findFirst().orElse(message);
      }
    }
    // BoringSSL's own errors read "error:10000460:SSL routines:OPENSSL_internal:TLSV1_ALERT_NO_...":
    // the last part is the reason; an alert is said as the JDK says it.
    Matcher boring = BORINGSSL_ERROR.matcher(message);
    if (boring.find()) {
      String reason = boring.group(1);
      Matcher alert = ALERT.matcher(reason);
      return alert.matches() ? "received fatal alert: " + alert.group(1).toLowerCase(Locale.ROOT)
          : reason.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
    return message;
  }

  private static final Pattern BORINGSSL_ERROR = Pattern.compile("error:[0-9a-fA-F]+:[^:]*:[^:]*:([A-Z0-9_]+)");
  private static final Pattern ALERT = Pattern.compile("(?:TLSV1|SSLV3)_ALERT_([A-Z0-9_]+)");

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static String header(RawResponse raw, String lowerCaseName) {
    return raw.head().first(lowerCaseName);
  }

  private static List<String> setCookies(RawResponse raw) {
    List<String> values = raw.head().all("set-cookie");
    return values.isEmpty() ? null : values;
  }

  private TlsClient tls() {
    return tls != null ? tls : TlsClient.of(Tls.defaults());
  }

  private static long epochMicros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private static void requireToken(String what, String token) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 127 || c == ':' || c == '(' || c == ')' || c == ',' || c == ';' || c == '"') {
        throw new IllegalArgumentException(what + " must be an HTTP token but was " + token);
      }
    }
  }

  /**
   * Rejects header names that are not tokens, and values with a character outside visible ASCII,
   * space and tab: a line break would inject a header, and a non-ASCII character has no one
   * encoding on the wire (RFC 9110 section 5.5; servers read such bytes as ISO-8859-1, UTF-8 or not
   * at all), so it is refused rather than sent mangled. The message names the header and the
   * character, never the value, which may be a secret.
   */
  static void requireHeader(String name, String value) {
    Objects.requireNonNull(name, "header name");
    Objects.requireNonNull(value, "header value for " + name);
    requireToken("header name", name);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c >= 127) {
        throw new IllegalArgumentException("header value for " + name + " must be ASCII without control characters"
            + " (encode it, e.g. percent- or Base64-encoding) but has U+"
            + String.format(Locale.ROOT, "%04X", (int) c) + " at index " + i);
      }
    }
  }

  /** Builds an {@link HttpSession}. */
  public static final class Builder {
    private PathResolver paths = PathResolver.forBase(null);
    private ResultSink sink;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private String acceptEncoding = DEFAULT_ACCEPT_ENCODING;
    private long maxBodyKept = DEFAULT_MAX_BODY_KEPT;
    private ObjectMapper mapper = DEFAULT_MAPPER;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private TlsClient tls;
    private Proxies proxies = Proxies.none();
    private HttpVersion version = HttpVersion.AUTO;

    private Builder() {}

    /**
     * The base URL that paths starting with {@code /} are appended to, e.g.
     * {@code http://127.0.0.1:8080} or {@code https://host/api}. The default is none: every request
     * must then use an absolute URL.
     */
    public Builder baseUrl(URI baseUrl) {
      this.paths = PathResolver.forBase(baseUrl); // validates scheme and host now, not at the first request
      return this;
    }

    /**
     * Like {@link #baseUrl}, with paths resolved once for every session given the same resolver
     * (the users of a run).
     */
    public Builder paths(PathResolver paths) {
      this.paths = Objects.requireNonNull(paths, "paths");
      return this;
    }

    /** Where every request is recorded. Required. */
    public Builder sink(ResultSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** How long opening a connection may take. The default is 10 seconds. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requirePositive("connectTimeout", timeout);
      return this;
    }

    /**
     * How long a whole response may take to arrive once the request is sent, redirects included,
     * unless a request sets its own. The default is 60 seconds.
     */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = requirePositive("responseTimeout", timeout);
      return this;
    }

    /**
     * The {@code Accept-Encoding} header sent with every request, or {@code null} to send none (and
     * receive bodies as they are). The default is {@value #DEFAULT_ACCEPT_ENCODING}; bodies in
     * {@code gzip} and {@code deflate} are decoded when read, others are handed over as they arrived.
     */
    public Builder acceptEncoding(String value) {
      if (value != null) {
        requireHeader("Accept-Encoding", value);
      }
      this.acceptEncoding = value == null || value.isBlank() ? null : value;
      return this;
    }

    /**
     * The largest response body, in bytes, kept for the scenario to read ({@link Response#text()},
     * {@code json}, checks), applied to the body as it arrives and once decoded; a longer body is
     * counted and dropped. 0 keeps no body at all (as wrk does). The default is
     * {@value #DEFAULT_MAX_BODY_KEPT} (4 MiB).
     */
    public Builder maxBodyKept(long bytes) {
      if (bytes < 0 || bytes > MAX_BODY_KEPT_LIMIT) {
        throw new IllegalArgumentException("maxBodyKept must be within 0.." + MAX_BODY_KEPT_LIMIT + " but was " + bytes);
      }
      this.maxBodyKept = bytes;
      return this;
    }

    /** The Jackson mapper for JSON bodies, shared by every user. The default is a plain {@link ObjectMapper}. */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * A header sent with every request unless the request sets a header of the same name. The
     * default is only {@code User-Agent: Stampede}.
     */
    public Builder header(String name, String value) {
      requireHeader(name, value);
      headers.put(name, value);
      return this;
    }

    /** Adds every entry of {@code defaults} as with {@link #header}. */
    public Builder headers(Map<String, String> defaults) {
      defaults.forEach(this::header);
      return this;
    }

    /** The clock for result timestamps and cookie expiry. The default is the system clock (UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How {@code https} connections are checked and which client certificate they present. The
     * default is {@link Tls#defaults()}: the JDK's trust store, host names checked.
     *
     * @throws dev.stampede.config.ConfigException when a file of {@code tls} cannot be read or parsed
     */
    public Builder tls(Tls tls) {
      this.tls = TlsClient.of(Objects.requireNonNull(tls, "tls"));
      return this;
    }

    /** Like {@link #tls}, with a ready-made context (its trust and keys); host names are checked. */
    public Builder sslContext(SSLContext context) {
      this.tls = TlsClient.of(Objects.requireNonNull(context, "context"));
      return this;
    }

    /**
     * The proxy for every request except to the hosts of {@code noProxy}, e.g.
     * {@code http://user:password@proxy:3128} (see {@link Proxies}). The default is no proxy; the
     * CLI uses {@code --proxy}, or else {@link Proxies#fromEnvironment}.
     *
     * @param noProxy a no-proxy list such as {@code localhost,.internal.example}, or {@code null}
     * @throws IllegalArgumentException for a proxy URL that is not {@code http://host[:port]}
     */
    public Builder proxy(String proxyUrl, String noProxy) {
      return proxies(Proxies.of(proxyUrl, noProxy));
    }

    /** Which proxy each request goes through. The default is {@link Proxies#none()}. */
    public Builder proxies(Proxies proxies) {
      this.proxies = Objects.requireNonNull(proxies, "proxies");
      return this;
    }

    /**
     * Which HTTP version to speak. The default is {@link HttpVersion#AUTO}: HTTP/2 where an
     * {@code https} server offers it by ALPN, HTTP/1.1 otherwise.
     */
    public Builder httpVersion(HttpVersion version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Builds the session. */
    public HttpSession build() {
      if (sink == null) {
        throw new IllegalStateException("sink is required");
      }
      return new HttpSession(this);
    }

    private static Duration requirePositive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0 but was " + value);
      }
      return value;
    }
  }
}
