package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
