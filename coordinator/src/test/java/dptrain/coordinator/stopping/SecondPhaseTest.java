package dptrain.coordinator.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.coordinator.job.EarlyStoppingSpec;
import org.junit.jupiter.api.Test;

/** What follows algorithm 7.1's first phase: nothing (7.1), a retrain (7.2), or a continuation (7.3). */
class SecondPhaseTest {

  @Test
  void algorithm72TrainsAgainFromScratchForTheBestStepCount() {
    var phase = SecondPhase.after(new EarlyStoppingSpec("7.2", 3, Double.NaN), 140, 0.31).orElseThrow();

    assertThat(phase.fromBest()).isFalse();
    assertThat(phase.steps()).isEqualTo(140);
    assertThat(phase.stopBelow()).isNaN();
    assertThat(phase.announcement(10)).contains("from the start").contains("for 140 steps");
  }

  @Test
  void algorithm73GoesOnFromTheBestParametersUntilBelowTheTrainingLossAtTheBestStep() {
    var phase = SecondPhase.after(new EarlyStoppingSpec("7.3", 3, Double.NaN), 140, 0.3125).orElseThrow();

    assertThat(phase.fromBest()).isTrue();
    assertThat(phase.steps()).as("bounded by the job's epochs instead").isZero();
    assertThat(phase.stopBelow()).isEqualTo(0.3125);
    assertThat(phase.folder()).isEqualTo("continue-7.3");
    assertThat(phase.announcement(7)).contains("validation_loss < 0.312500").contains("at most 7 epochs");
  }

  @Test
  void algorithm71AndASecondPhaseItselfHaveNoSecondPhase() {
    assertThat(SecondPhase.after(new EarlyStoppingSpec("7.1", 3, Double.NaN), 140, 0.3)).isEmpty();
    assertThat(SecondPhase.after(EarlyStoppingSpec.NONE, 140, 0.3)).isEmpty();
    assertThat(SecondPhase.after(new EarlyStoppingSpec("7.3", 3, Double.NaN).untilBelow(0.3), 140, 0.3)).isEmpty();
  }
}
