package dev.stampede.store.s3;

import dev.stampede.store.ResultsStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ResultsStore} in an S3 bucket under a key prefix ({@code s3://bucket/prefix}). Objects
 * are created with {@code If-None-Match: *}, so S3 itself refuses a second writer of one name
 * (412 Precondition Failed, or 409 when two writes race); see {@link S3StoreConfig#conditionalWrites()}
 * for stores without conditional writes.
 */
public final class S3ResultsStore implements ResultsStore, AutoCloseable {

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
  static final int PRECONDITION_FAILED = 412;
  static final int CONDITIONAL_REQUEST_CONFLICT = 409;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final boolean conditionalWrites;

  /**
   * A store in {@code bucket} under {@code prefix} (no leading or trailing slash; empty for the
   * bucket's root). The store closes {@code s3} when closed.
   */
  public S3ResultsStore(S3Client s3, String bucket, String prefix, boolean conditionalWrites) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.conditionalWrites = conditionalWrites;
  }

  @Override
  public void create(String name, byte[] content) throws IOException {
    String key = key(name);
    try {
      if (!conditionalWrites && exists(key)) {
        throw alreadyExists(key);
      }
      PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key)
          .contentType(name.endsWith(".json") ? "application/json" : "text/plain");
      if (conditionalWrites) {
        put.ifNoneMatch("*");
      }
      s3.putObject(put.build(), RequestBody.fromBytes(content));
    } catch (S3Exception e) {
      if (e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONDITIONAL_REQUEST_CONFLICT) {
        // The SDK retries a PUT whose response it did not get; if the first attempt stored the
        // object, the retry finds it there. Our own bytes are not another writer's.
        if (!storedIsOurs(key, content)) {
          throw alreadyExists(key);
        }
        return;
      }
      throw new IOException(describe(e), e);
    } catch (SdkException e) {
      throw new IOException(describe(e), e);
    }
  }

  /** Whether the object at {@code key} holds exactly {@code content}. */
  private boolean storedIsOurs(String key, byte[] content) {
    try {
      return Arrays.equals(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), content);
    } catch (SdkException e) {
      return false;
    }
  }

  @Override
  public Optional<byte[]> read(String name) throws IOException {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(name))).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException(describe(e), e);
    }
  }

  @Override
  public List<String> list(String namePrefix) throws IOException {
    List<String> names = new ArrayList<>();
    String keyPrefix = key(namePrefix);
    try {
      String token = null;
      do {
        ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
            .prefix(keyPrefix).continuationToken(token).build());
        for (S3Object object : page.contents()) {
          names.add(prefix.isEmpty() ? object.key() : object.key().substring(prefix.length() + 1));
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw new IOException(describe(e), e);
    }
    names.sort(null);
    return names;
  }

  @Override
  public String location() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  @Override
  public void close() {
    s3.close();
  }

  private boolean exists(String key) {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private String key(String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private FileAlreadyExistsException alreadyExists(String key) {
    return new FileAlreadyExistsException("s3://" + bucket + "/" + key, null, "already written by another writer");
  }

  /** One line, without request ids or credentials: the SDK's message names the service error. */
  private String describe(SdkException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return location() + ": " + message.lines().findFirst().orElse("");
  }
}
