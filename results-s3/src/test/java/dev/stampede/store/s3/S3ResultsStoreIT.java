package dev.stampede.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import dev.stampede.store.ResultsStore;
import dev.stampede.store.ResultsStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

/** The s3:// store against s3proxy (filesystem backend) on loopback, found through ServiceLoader. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ResultsStoreIT {

  Path dir;
  S3ProxyServer server;
  S3Client client;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("stampede-s3-it");
    server = new S3ProxyServer(dir);
    client = server.client();
    client.createBucket(b -> b.bucket("results"));
    // The store finds credentials through the SDK's default chain, as it would on a cluster.
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    server.close();
  }

  ResultsStore open(String location, Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(Map.of("s3.endpoint", server.endpoint()));
    settings.putAll(extra);
    return ResultsStores.open(location, ConfigSource.of(settings));
  }

  @Test
  void writesReadsAndListsUnderThePrefix() throws Exception {
    ResultsStore store = open("s3://results/team/a", Map.of());

    store.create("run-1/shard-0.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    store.create("run-1/ready/shard-0", "t".getBytes(StandardCharsets.UTF_8));
    store.create("run-2/shard-0.json", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(store.location()).isEqualTo("s3://results/team/a");
    assertThat(store.list("run-1/")).containsExactly("run-1/ready/shard-0", "run-1/shard-0.json");
    assertThat(store.read("run-1/shard-0.json")).hasValueSatisfying(
        bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}"));
    assertThat(store.read("run-1/shard-9.json")).isEmpty();
    assertThat(client.headObject(b -> b.bucket("results").key("team/a/run-1/shard-0.json")).contentLength())
        .isEqualTo(7);
  }

  @Test
  void aSecondWriterOfOneNameIsRefusedByTheConditionalPutAndTheFirstResultStays() throws Exception {
    ResultsStore first = open("s3://results/cond", Map.of());
    ResultsStore second = open("s3://results/cond", Map.of());
    first.create("run/shard-1.json", "first".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> second.create("run/shard-1.json", "second".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("s3://results/cond/run/shard-1.json");
    assertThat(new String(first.read("run/shard-1.json").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("first");
  }

  @Test
  void withoutConditionalWritesASequentialSecondWriterIsStillRefused() throws Exception {
    ResultsStore store = open("s3://results/check", Map.of("s3.conditional-writes", "false"));
    store.create("run/shard-0.json", "first".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.create("run/shard-0.json", "second".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void rejectsUnknownKeysAndABadEndpoint() {
    assertThatThrownBy(() -> open("s3://results/x", Map.of("s3.bucket", "y", "s3.endpoint", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key s3.bucket")
        .hasMessageContaining("must be an http(s) URL");
  }

  @Test
  void aMissingBucketIsAnErrorNamingTheStoreNotAnEmptyList() {
    ResultsStore store = open("s3://no-such-bucket/p", Map.of());

    assertThatThrownBy(() -> store.list("")).isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("s3://no-such-bucket/p: ")
        .hasMessageNotContaining(S3ProxyServer.SECRET_KEY);
  }
}
