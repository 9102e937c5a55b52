package dev.stampede.store.s3;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server for tests: s3proxy in this JVM, on loopback, with a filesystem backend
 * in {@code dir} and signed requests required (the SDK's credentials chain must find the keys).
 */
final class S3ProxyServer implements AutoCloseable {

  static final String ACCESS_KEY = "stampede-it";
  static final String SECRET_KEY = "stampede-it-secret";

  private final S3Proxy proxy;

  S3ProxyServer(Path dir) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    proxy = S3Proxy.builder()
        .blobStore(BlobStores.create("filesystem", properties))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    await("S3Proxy listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
        .until(() -> proxy.getPort() > 0);
  }

  /** {@code http://127.0.0.1:PORT}. */
  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** A client of this server, for what the tests set up and check behind the store's back. */
  S3Client client() {
    return S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
