package dev.stampede.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The {@link Response} of an {@link HttpSession} request. */
final class ReceivedResponse implements Response {

  private final int status;
  private final ResponseHead head;
  private final byte[] body;
  private final double millis;
  private final ObjectMapper mapper;
  private String failure;
  private Map<String, List<String>> headerMap;

  ReceivedResponse(int status, ResponseHead head, byte[] body, long nanos, ObjectMapper mapper) {
    this.status = status;
    this.head = head;
    this.body = body;
    this.millis = nanos / 1_000_000.0;
    this.mapper = mapper;
  }

  /** The response of a request that received none. */
  static ReceivedResponse none(String failure, long nanos, ObjectMapper mapper) {
    ReceivedResponse response = new ReceivedResponse(0, ResponseHead.EMPTY, Connection.EMPTY, nanos, mapper);
    response.failure = failure;
    return response;
  }

  void fail(String message) {
    this.failure = message;
  }

  String reason() {
    return head.reason();
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public boolean ok() {
    return failure == null;
  }

  @Override
  public String failure() {
    return failure;
  }

  @Override
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.length == 0 ? body : body.clone();
  }

  /** The body length without copying it. */
  int length() {
    return body.length;
  }

  @Override
  public <T> T json(Class<T> type) {
    try {
      return mapper.readValue(body, type);
    } catch (IOException e) {
      throw new UncheckedIOException("response body is not JSON for " + type.getSimpleName() + ": "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  @Override
  public String header(String name) {
    return head.first(name);
  }

  /** Every value of a header, in order. */
  List<String> values(String name) {
    return head.all(name);
  }

  @Override
  public Map<String, List<String>> headers() {
    if (headerMap == null) {
      headerMap = head.toMap();
    }
    return headerMap;
  }

  @Override
  public double millis() {
    return millis;
  }

  @Override
  public String toString() {
    return "Response[" + status + (failure == null ? "" : ", " + failure) + "]";
  }
}
