package dev.stampede.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@link Response} of an {@link HttpSession} request.
 *
 * <p>The body is kept as it arrived and decoded from its content encoding only when the scenario
 * reads it: most load-test responses are never read, and inflating them would cost the client CPU
 * that a load generator needs for sending.
 */
final class ReceivedResponse implements Response {

  private final int status;
  private final ResponseHead head;
  /** The body as it arrived, or {@code null} when it was longer than the keep limit. */
  private final byte[] received;
  private final long receivedBytes;
  private final long keepLimit;
  private final double millis;
  private final ObjectMapper mapper;
  private String failure;
  private Map<String, List<String>> headerMap;
  private byte[] decoded;

  /**
   * @param received the body as it arrived, or {@code null} when it was not kept
   * @param receivedBytes the body's length as it arrived
   * @param keepLimit the keep limit the body was read under, which also caps the decoded body
   */
  ReceivedResponse(int status, ResponseHead head, byte[] received, long receivedBytes, long keepLimit, long nanos,
      ObjectMapper mapper) {
    this.status = status;
    this.head = head;
    this.received = received == null && receivedBytes == 0 ? Connection.EMPTY : received;
    this.receivedBytes = receivedBytes;
    this.keepLimit = keepLimit;
    this.millis = nanos / 1_000_000.0;
    this.mapper = mapper;
  }

  /** The response of a request that received none. */
  static ReceivedResponse none(String failure, long nanos, ObjectMapper mapper) {
    ReceivedResponse response = new ReceivedResponse(0, ResponseHead.EMPTY, Connection.EMPTY, 0, 0, nanos, mapper);
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
    return new String(decoded(), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    byte[] body = decoded();
    return body.length == 0 ? body : body.clone();
  }

  @Override
  public long receivedBytes() {
    return receivedBytes;
  }

  @Override
  public boolean bodyKept() {
    return received != null;
  }

  @Override
  public <T> T json(Class<T> type) {
    try {
      return mapper.readValue(decoded(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("response body is not JSON for " + type.getSimpleName() + ": "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  private byte[] decoded() {
    if (decoded == null) {
      if (received == null) {
        throw new IllegalStateException("the response body (" + receivedBytes + " bytes) was not kept: "
            + (keepLimit == 0 ? "the request discards bodies"
                : "it is larger than the keep limit of " + keepLimit + " bytes")
            + " (RequestOptions.keepBody, --max-body)");
      }
      decoded = ContentDecoding.decode(head.first("content-encoding"), received, keepLimit);
    }
    return decoded;
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
