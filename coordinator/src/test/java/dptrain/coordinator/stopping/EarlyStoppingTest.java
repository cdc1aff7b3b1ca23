package dptrain.coordinator.stopping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.coordinator.job.EarlyStoppingSpec;
import dptrain.coordinator.stopping.EarlyStopping.Verdict;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  /** Feeds evaluations one after the other into the immutable bookkeeping, keeping the newest value. */
  private static final class Observations {
    private EarlyStopping current;

    Observations(EarlyStoppingSpec spec) {
      current = new EarlyStopping(spec);
    }

    Verdict observe(long step, double loss) {
      var observed = current.observe(step, loss);
      current = observed.next();
      return observed.verdict();
    }

    long bestStep() {
      return current.bestStep();
    }

    double bestLoss() {
      return current.bestLoss();
    }
  }

  @Test
  void algorithm71KeepsTheBestStepAndStopsAfterPatienceEvaluationsWithoutImprovement() {
    var stopping = new Observations(new EarlyStoppingSpec("7.1", 2, Double.NaN));

    assertThat(stopping.observe(100, 0.9)).isEqualTo(Verdict.IMPROVED);
    assertThat(stopping.observe(200, 0.7)).isEqualTo(Verdict.IMPROVED);
    assertThat(stopping.observe(300, 0.8)).isEqualTo(Verdict.GO_ON);
    assertThat(stopping.observe(400, 0.6)).as("an improvement resets the count").isEqualTo(Verdict.IMPROVED);
    assertThat(stopping.observe(500, 0.6)).as("equal is not better").isEqualTo(Verdict.GO_ON);
    assertThat(stopping.observe(600, 0.65)).isEqualTo(Verdict.STOP);
    assertThat(stopping.bestStep()).isEqualTo(400);
    assertThat(stopping.bestLoss()).isEqualTo(0.6);
  }

  @Test
  void theSecondPhaseOf73StopsOnceTheValidationLossIsBelowTheTarget() {
    var stopping = new Observations(new EarlyStoppingSpec("7.3", 5, 0.3));

    assertThat(stopping.observe(10, 0.35)).isEqualTo(Verdict.GO_ON);
    assertThat(stopping.observe(20, 0.3)).isEqualTo(Verdict.GO_ON);
    assertThat(stopping.observe(30, 0.29)).isEqualTo(Verdict.STOP);
  }

  @Test
  void withoutEarlyStoppingEveryEvaluationGoesOn() {
    var stopping = new Observations(EarlyStoppingSpec.NONE);

    assertThat(stopping.observe(1, 1.0)).isEqualTo(Verdict.GO_ON);
    assertThat(stopping.observe(2, 2.0)).isEqualTo(Verdict.GO_ON);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new EarlyStoppingSpec("7.4", 3, Double.NaN)).hasMessageContaining("none, 7.1, 7.2, 7.3");
    assertThatThrownBy(() -> new EarlyStoppingSpec("7.1", 0, Double.NaN)).hasMessageContaining("--patience");
  }
}
