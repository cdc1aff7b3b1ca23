package dptrain.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dptrain.deploy.report.JsonLine;
import org.junit.jupiter.api.Test;

class RecoveryTest {
  private static JsonLine step(long step, double elapsed) {
    return JsonLine.parse("{\"type\":\"step\",\"step\":" + step + ",\"elapsed_s\":" + elapsed + "}");
  }

  @Test
  void withoutANewGenerationItIsTheLongestPauseBetweenStepsAfterTheFault() {
    Recovery recovery = new Recovery(0, 10);

    recovery.add(step(11, 2.00), 0);
    recovery.add(step(12, 2.05), 0);
    recovery.add(step(13, 3.10), 0); // the stall
    recovery.add(step(14, 3.15), 0);

    assertThat(recovery.seconds()).isCloseTo(1.05, within(1e-9));
  }

  @Test
  void afterARollBackItIsTheTimeToFormAgainPlusTheNewGenerationsTimeToPassTheFurthestStep() {
    Recovery recovery = new Recovery(1_000_000_000L, 30);
    recovery.add(step(31, 5.0), 1_100_000_000L);
    recovery.add(step(32, 5.1), 1_200_000_000L);

    recovery.add(JsonLine.parse("{\"type\":\"formed\",\"workers\":1}"), 4_000_000_000L);
    recovery.add(step(20, 0.1), 4_000_000_000L);
    assertThat(recovery.seconds()).as("not yet past step 32 again").isNaN();
    recovery.add(step(32, 0.7), 4_000_000_000L);
    recovery.add(step(33, 0.8), 4_000_000_000L);

    assertThat(recovery.seconds()).isCloseTo(3.0 + 0.8, within(1e-9));
  }
}
