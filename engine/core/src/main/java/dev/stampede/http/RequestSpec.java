package dev.stampede.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.RequestOptions;
import dev.stampede.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** The options of one request, as filled in by the caller's consumer. */
final class RequestSpec implements RequestOptions {

  private final ObjectMapper mapper;
  String name;
  /** Header names and values, alternating, in the order added. */
  final List<String> headers = new ArrayList<>(4);
  byte[] body;
  String contentType;
  long timeoutNanos = -1;
  /** The keep limit for this request's body in bytes, or -1 for the session's. */
  long maxBodyKept = -1;
  /** The connect timeout in milliseconds, or -1 for the session's. */
  int connectTimeoutMillis = -1;
  List<Check> checks;
  int[] allowedStatuses;

  RequestSpec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  record Check(Predicate<Response> predicate, String message) {}

  @Override
  public RequestOptions name(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  @Override
  public RequestOptions header(String name, String value) {
    HttpSession.requireHeader(name, value);
    headers.add(name);
    headers.add(value);
    return this;
  }

  @Override
  public RequestOptions body(byte[] body, String contentType) {
    this.body = Objects.requireNonNull(body, "body");
    this.contentType = contentType;
    return this;
  }

  @Override
  public RequestOptions body(String body, String contentType) {
    return body(Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8), contentType);
  }

  @Override
  public RequestOptions json(Object body) {
    Objects.requireNonNull(body, "body");
    byte[] bytes;
    if (body instanceof String s) {
      bytes = s.getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        bytes = mapper.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("json body of type " + body.getClass().getName()
            + " could not be serialised: " + e.getOriginalMessage(), e);
      }
    }
    return body(bytes, "application/json");
  }

  @Override
  public RequestOptions timeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
    }
    this.timeoutNanos = timeout.toNanos();
    return this;
  }

  @Override
  public RequestOptions keepBody(long maxBytes) {
    if (maxBytes < 0 || maxBytes > HttpSession.MAX_BODY_KEPT_LIMIT) {
      throw new IllegalArgumentException("keepBody must be within 0.." + HttpSession.MAX_BODY_KEPT_LIMIT
          + " but was " + maxBytes);
    }
    this.maxBodyKept = maxBytes;
    return this;
  }

  @Override
  public RequestOptions connectTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be > 0 but was " + timeout);
    }
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    return this;
  }

  @Override
  public RequestOptions discardBody() {
    return keepBody(0);
  }

  @Override
  public RequestOptions expect(Predicate<Response> check, String message) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(message, "message");
    if (checks == null) {
      checks = new ArrayList<>(2);
    }
    checks.add(new Check(check, message));
    return this;
  }

  @Override
  public RequestOptions allowStatus(int... statuses) {
    for (int status : statuses) {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("allowStatus must be within 100..999 but was " + status);
      }
    }
    if (allowedStatuses == null) {
      allowedStatuses = statuses.clone();
    } else {
      int[] all = java.util.Arrays.copyOf(allowedStatuses, allowedStatuses.length + statuses.length);
      System.arraycopy(statuses, 0, all, allowedStatuses.length, statuses.length);
      allowedStatuses = all;
    }
    return this;
  }

  boolean allowed(int status) {
    if (allowedStatuses != null) {
      for (int allowed : allowedStatuses) {
        if (allowed == status) {
          return true;
        }
      }
    }
    return false;
  }

  boolean hasHeader(String name) {
    for (int i = 0; i < headers.size(); i += 2) {
      if (headers.get(i).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
