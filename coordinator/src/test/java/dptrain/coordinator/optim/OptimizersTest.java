package dptrain.coordinator.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.job.OptimizerSpec;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Our optimizers against a reference of torch.optim's update rules, written out here in double
 * precision and independently of the production loops.
 */
class OptimizersTest {
  private static final float[] START = {0.5f, -1.0f, 2.0f};
  private static final float[][] GRADIENTS = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.5f, 0.05f}, {0.2f, 0.2f, -0.6f}, {0f, -1f, 1f}};

  private static float[] run(OptimizerSpec spec) {
    float[] p = START.clone();
    Optimizer optimizer = Optimizers.create(spec, p.length);
    for (float[] g : GRADIENTS) {
      optimizer.step(p, g.clone());
    }
    return p;
  }

  private static void assertClose(float[] actual, double[] expected) {
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as("parameter %d", i).isCloseTo(expected[i], Offset.offset(1e-6));
    }
  }

  /** torch.optim.SGD, step by step. */
  private static double[] referenceSgd(double lr, double momentum, double dampening, boolean nesterov, double wd) {
    double[] p = {START[0], START[1], START[2]};
    double[] buf = new double[3];
    for (int t = 0; t < GRADIENTS.length; t++) {
      for (int i = 0; i < 3; i++) {
        double g = GRADIENTS[t][i] + wd * p[i];
        if (momentum != 0) {
          buf[i] = t == 0 ? g : momentum * buf[i] + (1 - dampening) * g;
          g = nesterov ? g + momentum * buf[i] : buf[i];
        }
        p[i] -= lr * g;
      }
    }
    return p;
  }

  /** torch.optim.Adam, step by step. */
  private static double[] referenceAdam(double lr, double b1, double b2, double eps, double wd) {
    double[] p = {START[0], START[1], START[2]};
    double[] m = new double[3];
    double[] v = new double[3];
    for (int t = 1; t <= GRADIENTS.length; t++) {
      for (int i = 0; i < 3; i++) {
        double g = GRADIENTS[t - 1][i] + wd * p[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
        p[i] -= lr * mHat / denominator;
      }
    }
    return p;
  }

  @Test
  void plainSgdStepsAgainstTheGradient() {
    assertClose(run(OptimizerSpec.of("sgd", 0.1, 0, 0, false, 0, 0.9, 0.999, 1e-8)), referenceSgd(0.1, 0, 0, false, 0));
  }

  @Test
  void sgdWithMomentumDampeningAndWeightDecayFollowsTorch() {
    assertClose(run(OptimizerSpec.of("sgd", 0.05, 0.9, 0.3, false, 0.01, 0.9, 0.999, 1e-8)),
        referenceSgd(0.05, 0.9, 0.3, false, 0.01));
  }

  @Test
  void sgdWithNesterovMomentumFollowsTorch() {
    assertClose(run(OptimizerSpec.of("sgd", 0.05, 0.8, 0, true, 0, 0.9, 0.999, 1e-8)), referenceSgd(0.05, 0.8, 0, true, 0));
  }

  @Test
  void adamFollowsTorch() {
    assertClose(run(OptimizerSpec.of("adam", 0.01, 0, 0, false, 0, 0.9, 0.999, 1e-8)), referenceAdam(0.01, 0.9, 0.999, 1e-8, 0));
  }

  @Test
  void adamWithWeightDecayAndOtherBetasFollowsTorch() {
    assertClose(run(OptimizerSpec.of("adam", 0.003, 0, 0, false, 0.1, 0.5, 0.9, 1e-3)), referenceAdam(0.003, 0.5, 0.9, 1e-3, 0.1));
  }

  @Test
  void badHyperParametersAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> OptimizerSpec.of("rmsprop", 0.1, 0, 0, false, 0, 0.9, 0.999, 1e-8))
        .hasMessage("unknown optimizer 'rmsprop' (allowed: sgd, adam)");
    assertThatThrownBy(() -> OptimizerSpec.of("sgd", -0.1, 0, 0, false, 0, 0.9, 0.999, 1e-8)).hasMessageContaining("--lr");
    assertThatThrownBy(() -> OptimizerSpec.of("sgd", 0.1, 0.9, 0.1, true, 0, 0.9, 0.999, 1e-8)).hasMessageContaining("--nesterov");
    assertThatThrownBy(() -> OptimizerSpec.of("adam", 0.1, 0, 0, false, 0, 1.0, 0.999, 1e-8)).hasMessageContaining("--betas");
    assertThatThrownBy(() -> OptimizerSpec.of("adam", 0.1, 0.9, 0, false, 0, 0.9, 0.999, 1e-8)).hasMessageContaining("--momentum");
  }
}
