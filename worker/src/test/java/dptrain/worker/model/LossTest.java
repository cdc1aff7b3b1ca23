package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LossTest {

  @Test
  void crossEntropyIsTheNegativeLogSoftmaxOfTheTrueClass() {
    double[] z = {1, 2, 3};
    double[] y = {0, 0, 1};
    double[] dz = new double[3];

    double loss = Loss.CE.evaluate(z, y, 1, 3, Activation.SOFTMAX, dz);

    double logSumExp = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    assertThat(loss).isCloseTo(logSumExp - 3, offset(1e-6));
    assertThat(dz[2]).isCloseTo(Math.exp(3 - logSumExp) - 1, offset(1e-12));
    assertThat(dz[0] + dz[1] + dz[2]).isCloseTo(0, offset(1e-12));
  }

  @Test
  void labelSmoothedCrossEntropyAndItsGradientAreTorchs() {
    double[] z = {1, 2, 3, 0.5, -1, 2};
    double[] y = {0, 0, 1, 1, 0, 0};
    double[] dz = new double[6];

    double loss = Loss.CE.evaluate(z, y, 2, 3, Activation.SOFTMAX, dz, 0.1);

    // torch 1.13, float64: F.cross_entropy(z, [2, 0], label_smoothing=0.1, reduction='sum') and its z.grad.
    assertThat(loss).isCloseTo(2.248917261101538, offset(1e-12));
    assertThat(dz).containsExactly(new double[] {0.0566972398370471, 0.21139513772146432, -0.26809237755851156,
        -0.7580429411932966, 0.0057792399373541165, 0.7522637012559426}, offset(1e-12));
  }

  @Test
  void labelSmoothingIsRefusedForAnyLossButCrossEntropy() {
    assertThatThrownBy(() -> Loss.MSE.evaluate(new double[] {1}, new double[] {0}, 1, 1, Activation.IDENTITY, null, 0.1))
        .hasMessage("label smoothing is for the ce loss, not mse");
  }

  @Test
  void crossEntropyStaysFiniteForHugeLogits() {
    double[] dz = new double[2];

    double loss = Loss.CE.evaluate(new double[] {1000, -1000}, new double[] {0, 1}, 1, 2, Activation.SOFTMAX, dz);

    assertThat(loss).isCloseTo(2000, offset(1e-6));
    assertThat(dz).containsExactly(1, -1);
  }

  @Test
  void binaryCrossEntropyFromLogitsIsStableAndAveragedOverOutputs() {
    double[] dz = new double[2];

    double loss = Loss.BCE.evaluate(new double[] {-800, 0}, new double[] {1, 1}, 1, 2, Activation.SIGMOID, dz);

    assertThat(loss).isCloseTo((800 + Math.log(2)) / 2, offset(1e-9));
    assertThat(dz[0]).isCloseTo(-0.5, offset(1e-12));
    assertThat(dz[1]).isCloseTo(-0.25, offset(1e-12));
  }

  @Test
  void meanSquaredErrorAveragesOverOutputsAsTorchMseLoss() {
    double[] dz = new double[2];

    double loss = Loss.MSE.evaluate(new double[] {1, 3}, new double[] {0, 1}, 1, 2, Activation.IDENTITY, dz);

    assertThat(loss).isCloseTo((1 + 4) / 2.0, offset(1e-9));
    assertThat(dz).containsExactly(1, 2);
  }

  @Test
  void theLossOfSeveralSamplesIsTheirSum() {
    double[] z = {1, 2, 3, 0};
    double[] y = {0, 1, 1, 0};

    double both = Loss.CE.evaluate(z, y, 2, 2, Activation.SOFTMAX, null);
    double first = Loss.CE.evaluate(new double[] {1, 2}, new double[] {0, 1}, 1, 2, Activation.SOFTMAX, null);
    double second = Loss.CE.evaluate(new double[] {3, 0}, new double[] {1, 0}, 1, 2, Activation.SOFTMAX, null);

    assertThat(both).isCloseTo(first + second, offset(1e-12));
  }

  @Test
  void maeAndHuberFollowTorchsL1AndHuberLosses() {
    double[] dz = new double[2];

    double mae = Loss.MAE.evaluate(new double[] {1, 3}, new double[] {0, 1}, 1, 2, Activation.IDENTITY, dz);
    assertThat(mae).isCloseTo((1 + 2) / 2.0, offset(1e-15));
    assertThat(dz).containsExactly(0.5, 0.5);

    double huber = Loss.HUBER.evaluate(new double[] {0.5, 3}, new double[] {0, 1}, 1, 2, Activation.IDENTITY, dz);
    assertThat(huber).isCloseTo((0.5 * 0.25 + (2 - 0.5)) / 2, offset(1e-15));
    assertThat(dz).containsExactly(0.25, 0.5);
  }

  @Test
  void oddPairsOfOutputAndLossAreNamedInAWarning() {
    assertThat(Loss.oddPairWarning(Loss.MSE, Activation.SOFTMAX)).contains("softmax outputs with --loss mse");
    assertThat(Loss.oddPairWarning(Loss.CE, Activation.SOFTMAX)).isNull();
    assertThat(Loss.oddPairWarning(Loss.MSE, Activation.IDENTITY)).isNull();
  }

  @Test
  void unknownNamesAreRefusedWithTheAllowedOnes() {
    assertThatThrownBy(() -> Loss.fromName("hinge")).hasMessage("unknown loss 'hinge' (allowed: ce, bce, mse, mae, huber)");
    assertThatThrownBy(() -> Activation.fromName("maxout")).hasMessageContaining("allowed: identity, binary-step, sigmoid");
  }

  @Test
  void aLossFusedWithAnotherOutputIsRefused() {
    assertThatThrownBy(() -> new Mlp(new dptrain.protocol.job.ModelSpec(java.util.List.of(2, 2), "relu", "sigmoid", "ce"), dptrain.protocol.tensor.Precision.FLOAT32))
        .hasMessageContaining("--output softmax");
  }
}
