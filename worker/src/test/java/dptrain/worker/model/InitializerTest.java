package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class InitializerTest {
  private final ParameterLayout layout = new ParameterLayout(List.of(400, 300, 10));

  @Test
  void theSameSeedGivesTheSameParametersAndAnotherSeedOthers() {
    double[] a = Initializer.initialParameters(layout, Activation.RELU, Activation.SOFTMAX, 1);
    double[] b = Initializer.initialParameters(layout, Activation.RELU, Activation.SOFTMAX, 1);
    double[] c = Initializer.initialParameters(layout, Activation.RELU, Activation.SOFTMAX, 2);

    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void reluLayersGetHeNormalOthersGlorotUniformAndBiasesZero() {
    double[] p = Initializer.initialParameters(layout, Activation.RELU, Activation.SOFTMAX, 3);
    var first = layout.layers().get(0);
    var second = layout.layers().get(1);

    double sumSquares = 0;
    for (int i = 0; i < first.weightSize(); i++) {
      sumSquares += p[i] * p[i];
    }
    assertThat(Math.sqrt(sumSquares / first.weightSize())).isBetween(0.95 * Math.sqrt(2.0 / 400), 1.05 * Math.sqrt(2.0 / 400));
    double bound = Math.sqrt(6.0 / (300 + 10));
    for (long i = second.weightOffset(); i < second.biasOffset(); i++) {
      assertThat(Math.abs(p[(int) i])).isLessThanOrEqualTo(bound);
    }
    for (int i = 0; i < 300; i++) {
      assertThat(p[(int) first.biasOffset() + i]).isZero();
    }
  }

  @Test
  void theLayoutPlacesEachWeightBeforeItsBias() {
    assertThat(layout.size()).isEqualTo(400 * 300 + 300 + 300 * 10 + 10);
    assertThat(layout.layers().get(1).weightOffset()).isEqualTo(400 * 300 + 300);
    assertThat(layout.layers().get(1).biasOffset()).isEqualTo(400 * 300 + 300 + 3000);
  }

  private static double[] weights(String scheme, int in, int out) {
    var small = new ParameterLayout(java.util.List.of(in, out));
    return java.util.Arrays.copyOf(Initializer.initialParameters(small, Activation.TANH, Activation.IDENTITY, 9,
        java.util.List.of(scheme), java.util.List.of("zero")), in * out);
  }

  private static double std(double[] w) {
    double sum = 0;
    for (double v : w) {
      sum += v * v;
    }
    return Math.sqrt(sum / w.length);
  }

  @Test
  void everySchemeHasTheSpreadItsFormulaGives() {
    int in = 300;
    int out = 200;
    Offset<Double> fivePercent = Offset.offset(0.05);
    assertThat(std(weights("normal:0.5", in, out)) / 0.5).isCloseTo(1, fivePercent);
    assertThat(std(weights("uniform:10", in, out)) / (10 / Math.sqrt(3))).isCloseTo(1, fivePercent);
    assertThat(std(weights("lecun-normal", in, out)) / Math.sqrt(1.0 / in)).isCloseTo(1, fivePercent);
    assertThat(std(weights("lecun-uniform", in, out)) / Math.sqrt(1.0 / in)).isCloseTo(1, fivePercent);
    assertThat(std(weights("glorot-normal", in, out)) / Math.sqrt(2.0 / (in + out))).isCloseTo(1, fivePercent);
    assertThat(std(weights("glorot-uniform", in, out)) / Math.sqrt(2.0 / (in + out))).isCloseTo(1, fivePercent);
    assertThat(std(weights("he-normal", in, out)) / Math.sqrt(2.0 / in)).isCloseTo(1, fivePercent);
    assertThat(std(weights("he-uniform", in, out)) / Math.sqrt(2.0 / in)).isCloseTo(1, fivePercent);
    for (double v : weights("uniform:10", in, out)) {
      assertThat(Math.abs(v)).isLessThan(10);
    }
  }

  @Test
  void orthogonalWeightsHaveOrthonormalColumnsOrRows() {
    for (int[] shape : new int[][] {{6, 4}, {4, 6}}) {
      int in = shape[0];
      int out = shape[1];
      double[] w = weights("orthogonal", in, out);
      int small = Math.min(in, out);
      for (int a = 0; a < small; a++) {
        for (int b = 0; b < small; b++) {
          double dot = 0;
          for (int k = 0; k < Math.max(in, out); k++) {
            dot += in >= out ? w[k * out + a] * w[k * out + b] : w[a * out + k] * w[b * out + k];
          }
          assertThat(dot).as("shape %dx%d, %d.%d", in, out, a, b).isCloseTo(a == b ? 1 : 0, Offset.offset(1e-12));
        }
      }
    }
  }

  @Test
  void schemesAndBiasesCanBeGivenPerLayer() {
    var two = new ParameterLayout(java.util.List.of(3, 4, 2));
    double[] p = Initializer.initialParameters(two, Activation.TANH, Activation.IDENTITY, 1,
        java.util.List.of("uniform:0.001", "normal:100"), java.util.List.of("const:0.5", "zero"));
    var first = two.layers().get(0);
    var second = two.layers().get(1);

    assertThat(Math.abs(p[0])).isLessThan(0.001);
    assertThat(std(java.util.Arrays.copyOfRange(p, (int) second.weightOffset(), (int) second.biasOffset()))).isGreaterThan(10);
    assertThat(p[(int) first.biasOffset()]).isEqualTo(0.5);
    assertThat(p[(int) second.biasOffset()]).isZero();
  }

  @Test
  void badSchemesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> Initializer.check(java.util.List.of("xavier"), java.util.List.of("zero"), 2))
        .hasMessageContaining("--init: unknown scheme 'xavier'");
    assertThatThrownBy(() -> Initializer.check(java.util.List.of("uniform"), java.util.List.of("zero"), 2))
        .hasMessageContaining("uniform needs a number > 0");
    assertThatThrownBy(() -> Initializer.check(java.util.List.of("auto", "auto", "auto"), java.util.List.of("zero"), 2))
        .hasMessageContaining("--init gives 3 schemes; the model has 2 layers");
    assertThatThrownBy(() -> Initializer.check(java.util.List.of("auto"), java.util.List.of("one"), 2))
        .hasMessageContaining("--bias-init must be zero or const:C");
  }
}
