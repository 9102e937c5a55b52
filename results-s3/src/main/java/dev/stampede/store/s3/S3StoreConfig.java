package dev.stampede.store.s3;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Settings of the {@code s3://} results store, under the prefix {@code s3}: {@code --set
 * s3.endpoint=...}, {@code STAMPEDE_S3_ENDPOINT}, or a {@code --config} file. Credentials are never
 * settings: the SDK's default chain finds them (environment, profile, web identity for IRSA,
 * container or instance role).
 */
public interface S3StoreConfig extends BackendConfig {

  /** Reads the settings from {@code source}. */
  static S3StoreConfig of(ConfigSource source) {
    Objects.requireNonNull(source, "source");
    return () -> source;
  }

  @Override
  default String prefix() {
    return "s3";
  }

  @Override
  default Map<String, Supplier<?>> knownKeys() {
    Map<String, Supplier<?>> keys = new LinkedHashMap<>();
    keys.put("region", this::region);
    keys.put("endpoint", this::endpoint);
    keys.put("path-style", this::pathStyle);
    keys.put("conditional-writes", this::conditionalWrites);
    return Collections.unmodifiableMap(keys);
  }

  /** The bucket's region. The default is the SDK's region chain ({@code AWS_REGION}, profile, instance). */
  default Optional<String> region() {
    String value = raw("region");
    if (value != null && !value.matches("[a-z0-9-]+")) {
      throw new ConfigException(describe("region", value) + " must be a region name such as eu-west-1");
    }
    return Optional.ofNullable(value);
  }

  /**
   * The endpoint URL of an S3-compatible store (MinIO, Ceph, s3proxy) or a VPC endpoint. The
   * default is the region's S3 endpoint.
   */
  default Optional<URI> endpoint() {
    return httpUrl("endpoint", "http://127.0.0.1:9000");
  }

  /**
   * Path-style requests ({@code endpoint/bucket/key}) instead of virtual-hosted ones
   * ({@code bucket.endpoint/key}), which most S3-compatible stores need. The default is true with
   * an {@link #endpoint()}, false without.
   */
  default boolean pathStyle() {
    return bool("path-style", endpoint().isPresent());
  }

  /**
   * Whether the store honours conditional writes ({@code If-None-Match: *} on PutObject; Amazon S3
   * does since August 2024). With false, a write first checks that the object is absent, which
   * catches a second writer only when the two are not simultaneous. The default is true.
   */
  default boolean conditionalWrites() {
    return bool("conditional-writes", true);
  }
}
