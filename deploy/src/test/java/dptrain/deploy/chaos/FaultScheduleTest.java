package dptrain.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  @Test
  void aSeedDrawsTheSameScheduleEveryTimeAndAnotherSeedAnother() {
    List<Fault> all = List.of(Fault.values());

    assertThat(FaultSchedule.draw(7, all, 200)).isEqualTo(FaultSchedule.draw(7, all, 200));
    assertThat(FaultSchedule.draw(8, all, 200)).isNotEqualTo(FaultSchedule.draw(7, all, 200));
  }

  @Test
  void eachFaultHitsBetweenATenthAndAHalfOfTheRunOnWorkersItsRunHas() {
    for (long seed = 0; seed < 50; seed++) {
      for (var planned : FaultSchedule.draw(seed, List.of(Fault.values()), 200).faults()) {
        assertThat(planned.atStep()).isBetween(20L, 100L);
        assertThat(planned.victims()).allMatch(v -> v >= 0 && v < planned.fault().workers()).doesNotHaveDuplicates()
            .hasSize(planned.fault() == Fault.KILL_TWO_WORKERS ? 2 : 1);
      }
    }
  }
}
