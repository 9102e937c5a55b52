package dev.stampede.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleParkTest {

  @Test
  void parksLongWhileStripesStayNearlyEmpty() {
    IdlePark park = new IdlePark(16_384);

    assertThat(park.next(0)).isEqualTo(IdlePark.MAX_NANOS);
    assertThat(park.next(1_000)).isEqualTo(IdlePark.MAX_NANOS);
  }

  @Test
  void halvesThePark_downToTheShortest_whileAStripeFillsPastAQuarter() {
    IdlePark park = new IdlePark(16_384);

    assertThat(park.next(4_097)).isEqualTo(IdlePark.MAX_NANOS / 2);
    assertThat(park.next(4_097)).isEqualTo(IdlePark.MAX_NANOS / 4);
    for (int i = 0; i < 10; i++) {
      park.next(16_384);
    }
    assertThat(park.next(16_384)).isEqualTo(IdlePark.MIN_NANOS);
  }

  @Test
  void keepsItsLengthBetweenASixteenthAndAQuarter_andGrowsBackWhenTheLoadDrops() {
    IdlePark park = new IdlePark(16_384);
    park.next(8_000);
    long shortened = park.next(8_000);

    assertThat(park.next(2_000)).as("between a sixteenth and a quarter").isEqualTo(shortened);
    assertThat(park.next(100)).isEqualTo(shortened * 2);
    assertThat(park.next(100)).isEqualTo(IdlePark.MAX_NANOS);
  }
}
