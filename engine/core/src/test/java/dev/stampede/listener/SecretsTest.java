package dev.stampede.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.config.Secrets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void masksUrlCredentialsAndSecretQueryParameters() {
    assertThat(Secrets.maskUrl("https://alice:s3cret@influx:8086/write?db=x&u=alice&p=s3cret&token=t0k"))
        .isEqualTo("https://****@influx:8086/write?db=x&u=alice&p=****&token=****");
  }

  @Test
  void masksGivenSecretValuesWhereverTheyAppear() {
    assertThat(Secrets.mask("401: bad password s3cret for user alice", List.of("s3cret", "")))
        .isEqualTo("401: bad password **** for user alice");
  }

  @Test
  void leavesTextWithoutSecretsAlone() {
    assertThat(Secrets.maskUrl("http://127.0.0.1:9091/metrics/job/stampede")).isEqualTo("http://127.0.0.1:9091/metrics/job/stampede");
  }
}
