package dptrain.ps.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Our optimizers against a reference of torch.optim's update rules, written out here in double
 * precision and independently of the production loops.
 */
class OptimizersTest {
  private static final float[] START = {0.5f, -1.0f, 2.0f};
  private static final float[][] GRADIENTS = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.5f, 0.05f}, {0.2f, 0.2f, -0.6f}, {0f, -1f, 1f}};

  private static double[] run(OptimizerSpec spec) {
    return run(spec, Precision.FLOAT64);
  }

  private static double[] run(OptimizerSpec spec, Precision precision) {
    FlatArray p = FlatArray.of(precision, new double[] {START[0], START[1], START[2]});
    Optimizer optimizer = Optimizers.create(spec, p);
    for (float[] g : GRADIENTS) {
      optimizer.step(p, FlatArray.of(precision, new double[] {g[0], g[1], g[2]}), spec.lr());
    }
    return p.toDoubles();
  }

  private static OptimizerSpec spec(String name, Object... pairs) {
    Map<String, Double> options = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      options.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return OptimizerSpec.of(name, options);
  }

  private static void assertClose(double[] actual, double[] expected) {
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], Offset.offset(1e-12));
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
    assertClose(run(spec("sgd", "lr", 0.1)), referenceSgd(0.1, 0, 0, false, 0));
  }

  @Test
  void sgdWithMomentumDampeningAndWeightDecayFollowsTorch() {
    assertClose(run(spec("sgd", "lr", 0.05, "momentum", 0.9, "dampening", 0.3, "weight-decay", 0.01)),
        referenceSgd(0.05, 0.9, 0.3, false, 0.01));
  }

  @Test
  void sgdWithNesterovMomentumFollowsTorch() {
    assertClose(run(spec("sgd", "lr", 0.05, "momentum", 0.8, "nesterov", 1)), referenceSgd(0.05, 0.8, 0, true, 0));
  }

  @Test
  void adamFollowsTorch() {
    assertClose(run(spec("adam", "lr", 0.01)), referenceAdam(0.01, 0.9, 0.999, 1e-8, 0));
  }

  @Test
  void adamWithWeightDecayAndOtherBetasFollowsTorch() {
    assertClose(run(spec("adam", "lr", 0.003, "weight-decay", 0.1, "beta1", 0.5, "beta2", 0.9, "eps", 1e-3)),
        referenceAdam(0.003, 0.5, 0.9, 1e-3, 0.1));
  }

  @Test
  void float32StateRoundsEveryStoredValueYetStaysCloseToFloat64() {
    double[] narrow = run(spec("adam", "lr", 0.01), Precision.FLOAT32);
    double[] wide = run(spec("adam", "lr", 0.01), Precision.FLOAT64);

    for (int i = 0; i < narrow.length; i++) {
      assertThat(narrow[i]).isEqualTo((float) narrow[i]).isCloseTo(wide[i], Offset.offset(1e-6));
    }
  }

  @Test
  void lookAheadNesterovPublishesThetaPlusMomentumTimesVelocity() {
    FlatArray p = FlatArray.of(Precision.FLOAT64, new double[] {1.0});
    FlatArray point = FlatArray.zeros(Precision.FLOAT64, 1);
    Optimizer nesterov = Optimizers.create(spec("nesterov", "lr", 0.1, "momentum", 0.5), p);

    nesterov.step(p, FlatArray.of(Precision.FLOAT64, new double[] {2.0}), 0.1);
    nesterov.lookAheadPoint(p, point);

    // v = 0.5 * 0 - 0.1 * 2 = -0.2; theta = 0.8; look-ahead = 0.8 + 0.5 * -0.2
    assertThat(nesterov.looksAhead()).isTrue();
    assertThat(p.get(0)).isCloseTo(0.8, Offset.offset(1e-15));
    assertThat(point.get(0)).isCloseTo(0.7, Offset.offset(1e-15));
  }

  @Test
  void fullBatchMethodsHaveNoShardSideUpdate() {
    assertThatThrownBy(() -> Optimizers.create(spec("lbfgs"), FlatArray.zeros(Precision.FLOAT64, 1)))
        .hasMessageContaining("full-batch");
  }
}
