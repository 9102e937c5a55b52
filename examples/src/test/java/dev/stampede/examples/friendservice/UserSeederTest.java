package dev.stampede.examples.friendservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserSeederTest {

  @Test
  void sameSeedGivesSameUsersInSameOrder() {
    assertThat(UserSeeder.generate(42, 3_000)).isEqualTo(UserSeeder.generate(42, 3_000));
  }

  @Test
  void fewerUsersArePrefixOfMoreUsersWithSameSeed() {
    assertThat(UserSeeder.generate(7, 3_000)).startsWith(UserSeeder.generate(7, 100).toArray(NewUser[]::new));
  }

  @Test
  void differentSeedsGiveDifferentUsers() {
    assertThat(UserSeeder.generate(1, 100)).isNotEqualTo(UserSeeder.generate(2, 100));
  }

  @Test
  void usernamesAreDistinctWordWordNumberAndValid() {
    List<NewUser> users = UserSeeder.generate(42, 20_000);

    assertThat(users).hasSize(20_000);
    assertThat(users).extracting(NewUser::username).doesNotHaveDuplicates()
        .allMatch(name -> name.matches("[a-z]+_[a-z]+_\\d{1,4}"), "adjective_noun_number");
    assertThat(users).allSatisfy(user -> assertThat(user.problems()).isEmpty());
  }

  @Test
  void zeroUsersIsEmpty() {
    assertThat(UserSeeder.generate(42, 0)).isEmpty();
  }

  @Test
  void rejectsNegativeCount() {
    assertThatThrownBy(() -> UserSeeder.generate(42, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0 but was -1");
  }
}
