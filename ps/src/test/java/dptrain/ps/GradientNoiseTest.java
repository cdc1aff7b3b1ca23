package dptrain.ps;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class GradientNoiseTest {

  @Test
  void theNoiseIsStandardNormalAndAPureFunctionOfSeedStepAndPosition() {
    int n = 200_000;
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double z = GradientNoise.gaussian(7, 3, i);
      sum += z;
      squares += z * z;
    }

    assertThat(sum / n).isCloseTo(0, Offset.offset(0.01));
    assertThat(squares / n).isCloseTo(1, Offset.offset(0.01));
    assertThat(GradientNoise.gaussian(7, 3, 12)).isEqualTo(GradientNoise.gaussian(7, 3, 12))
        .isNotEqualTo(GradientNoise.gaussian(7, 4, 12)).isNotEqualTo(GradientNoise.gaussian(8, 3, 12));
  }

  @Test
  void theVarianceAnnealsAsEtaOverOnePlusTToTheGamma() {
    assertThat(GradientNoise.standardDeviation(0.3, 0.55, 0)).isCloseTo(Math.sqrt(0.3), Offset.offset(1e-15));
    assertThat(GradientNoise.standardDeviation(0.3, 0.55, 99)).isCloseTo(Math.sqrt(0.3 / Math.pow(100, 0.55)), Offset.offset(1e-15));
  }
}
