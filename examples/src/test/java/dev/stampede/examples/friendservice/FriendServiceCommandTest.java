package dev.stampede.examples.friendservice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FriendServiceCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"--users=-1", "--port=70000", "--port=abc", "--unknown"})
  void badOptionsExitWith2(String option) {
    assertThat(FriendServiceCommand.run(new String[] {option})).isEqualTo(2);
  }
}
