package dev.stampede.store.s3;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.store.ResultsStore;
import dev.stampede.store.ResultsStoreProvider;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Opens {@code s3://bucket/prefix} results stores; listed for {@link java.util.ServiceLoader}. */
public final class S3ResultsStoreProvider implements ResultsStoreProvider {

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public ResultsStore open(URI location, ConfigSource settings) {
    String bucket = location.getHost();
    if (bucket == null || bucket.isBlank()) {
      throw new ConfigException("results store " + location + " must be s3://BUCKET/PREFIX");
    }
    String path = location.getPath() == null ? "" : location.getPath();
    String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
    S3StoreConfig config = S3StoreConfig.of(settings);
    config.validate();
    S3ClientBuilder builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
        .forcePathStyle(config.pathStyle());
    config.endpoint().ifPresent(builder::endpointOverride);
    config.region().map(Region::of).ifPresent(builder::region);
    if (config.region().isEmpty() && config.endpoint().isPresent()) {
      // An S3-compatible store ignores the region, but the SDK signs with one: do not require it.
      builder.region(Region.US_EAST_1);
    }
    try {
      return new S3ResultsStore(builder.build(), bucket, prefix, config.conditionalWrites());
    } catch (RuntimeException e) {
      throw new ConfigException("cannot open results store " + location + ": " + e.getMessage());
    }
  }
}
