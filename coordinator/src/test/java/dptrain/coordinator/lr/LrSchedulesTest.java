package dptrain.coordinator.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The schedules' closed forms; torch's schedulers are matched end to end by the golden tests. */
class LrSchedulesTest {
  private static LrSchedule build(String text, long warmup, int base) {
    return LrSchedules.build(LrScheduleSpec.parse(text, warmup, base), 0.1, 128, 1000, 100);
  }

  @Test
  void linearDecayFollowsEquation814ThenStaysConstant() {
    LrSchedule linear = build("linear:tau=200,final=0.001", 0, 0);

    assertThat(linear.at(0)).isEqualTo(0.1);
    assertThat(linear.at(100)).isCloseTo(0.5 * 0.1 + 0.5 * 0.001, Offset.offset(1e-15));
    assertThat(linear.at(200)).isEqualTo(0.001);
    assertThat(linear.at(999)).isEqualTo(0.001);
  }

  @Test
  void plateauHalvesAfterPatienceEvaluationsWithoutImprovement() {
    LrSchedule plateau = build("plateau:patience=1", 0, 0);

    plateau.observeValidationLoss(100, 1.0);
    plateau.observeValidationLoss(200, 0.9);
    plateau.observeValidationLoss(300, 0.95);
    assertThat(plateau.at(301)).isEqualTo(0.1);
    plateau.observeValidationLoss(400, 0.91);
    assertThat(plateau.at(401)).isEqualTo(0.05);
    plateau.observeValidationLoss(500, 0.5);
    assertThat(plateau.at(501)).isEqualTo(0.05);
  }

  @Test
  void warmUpRampsLinearlyInFrontOfTheSchedule() {
    LrSchedule warm = build("step:every=10,gamma=0.5", 4, 0);

    assertThat(warm.at(0)).isCloseTo(0.025, Offset.offset(1e-15));
    assertThat(warm.at(3)).isCloseTo(0.1, Offset.offset(1e-15));
    assertThat(warm.at(4)).isEqualTo(0.1);
    assertThat(warm.at(14)).isCloseTo(0.05, Offset.offset(1e-15));
  }

  @Test
  void theLinearScalingRuleMultipliesByTheGlobalBatchOverTheBase() {
    assertThat(build("constant", 0, 32).at(7)).isCloseTo(0.4, Offset.offset(1e-15));
  }

  @Test
  void sgdrRestartsWithLongerPeriods() {
    LrSchedule sgdr = build("sgdr:period=10,mult=2", 0, 0);

    assertThat(sgdr.at(0)).isEqualTo(0.1);
    assertThat(sgdr.at(10)).isEqualTo(0.1);
    assertThat(sgdr.at(20)).isCloseTo(0.05, Offset.offset(1e-15));
    assertThat(sgdr.at(30)).isEqualTo(0.1);
  }

  @Test
  void badSchedulesAreRefusedNamingWhatIsAllowed() {
    assertThatThrownBy(() -> LrScheduleSpec.parse("cosine:tau=5", 0, 0))
        .hasMessage("--schedule cosine has no option 'tau' (its options: period, min)");
    assertThatThrownBy(() -> LrScheduleSpec.parse("one-cycle:pct=1.5", 0, 0))
        .hasMessage("--schedule one-cycle: pct must be in (0, 1), got 1.5");
    assertThatThrownBy(() -> LrScheduleSpec.parse("constant", -1, 0)).hasMessageContaining("--warmup");
  }
}
