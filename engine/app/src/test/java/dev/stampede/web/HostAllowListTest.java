package dev.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowListTest {

  @Test
  void allowsLoopbackNamesAndAddressLiteralsOnly() {
    HostAllowList allow = HostAllowList.of(List.of());

    assertThat(allow.allows("localhost:8089")).isTrue();
    assertThat(allow.allows("127.0.0.1")).isTrue();
    assertThat(allow.allows("[::1]:8089")).isTrue();
    assertThat(allow.allows("10.1.2.3:8089")).isTrue();
    assertThat(allow.allows("[fe80::1]")).isTrue();
    assertThat(allow.allows("evil.example:8089")).isFalse();
    assertThat(allow.allows("127.0.0.1.evil.example")).isFalse();
    assertThat(allow.allows("localhost.evil.example:80")).isFalse();
    assertThat(allow.allows("10.1.2.300")).isFalse();
    assertThat(allow.allows("10.1.2.3:80@evil.example")).isFalse();
    assertThat(allow.allows(null)).isFalse();
  }

  @Test
  void allowsTheNamesGivenAndEverythingWithAStar() {
    HostAllowList allow = HostAllowList.of(List.of("Stampede.Internal.Example", " loadgen-1 "));

    assertThat(allow.allows("stampede.internal.example:8089")).isTrue();
    assertThat(allow.allows("STAMPEDE.internal.example.")).isTrue();
    assertThat(allow.allows("loadgen-1")).isTrue();
    assertThat(allow.allows("loadgen-2")).isFalse();
    assertThat(HostAllowList.of(List.of("*")).allows("anything.example")).isTrue();
  }
}
