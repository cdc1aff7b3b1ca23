package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DropoutMasksTest {
  private static double[] mask(double keep, double gaussian) {
    var mask = Nd4j.create(DataType.DOUBLE, 400, 100);
    new DropoutMasks(7, 3).fill(mask, IntStream.range(0, 400).toArray(), 1, keep, gaussian);
    return mask.data().asDouble();
  }

  @Test
  void invertedDropoutKeepsAboutKeepOfTheUnitsScaledByOneOverKeep() {
    double[] m = mask(0.8, 0);
    long kept = java.util.Arrays.stream(m).filter(v -> v > 0).count();

    assertThat(kept / (double) m.length).isCloseTo(0.8, Offset.offset(0.01));
    assertThat(java.util.Arrays.stream(m).filter(v -> v > 0).distinct().toArray()).containsExactly(1.25);
  }

  @Test
  void gaussianDropoutMultipliesByNoiseWithMeanOneAndTheGivenSpread() {
    double[] m = mask(1.0, 0.5);
    double mean = java.util.Arrays.stream(m).average().orElseThrow();
    double variance = java.util.Arrays.stream(m).map(v -> (v - mean) * (v - mean)).average().orElseThrow();

    assertThat(mean).isCloseTo(1, Offset.offset(0.01));
    assertThat(Math.sqrt(variance)).isCloseTo(0.5, Offset.offset(0.01));
  }

  @Test
  void targetNoiseIsNormalWithTheGivenSpreadAndBelongsToTheRowNotItsPlaceInTheBatch() {
    int rows = 4000;
    double[] noise = new double[rows * 3];
    new DropoutMasks(7, 3).addTargetNoise(noise, IntStream.range(0, rows).toArray(), 3, 0.25);
    double mean = java.util.Arrays.stream(noise).average().orElseThrow();
    double spread = Math.sqrt(java.util.Arrays.stream(noise).map(v -> (v - mean) * (v - mean)).average().orElseThrow());

    assertThat(mean).isCloseTo(0, Offset.offset(0.01));
    assertThat(spread).isCloseTo(0.25, Offset.offset(0.005));

    // Rows 17 and 5, in the other order and in a batch of their own: the same values, added to what was there.
    double[] pair = {1, 1, 1, 2, 2, 2};
    new DropoutMasks(7, 3).addTargetNoise(pair, new int[] {17, 5}, 3, 0.25);
    for (int j = 0; j < 3; j++) {
      assertThat(pair[j]).isEqualTo(1 + noise[17 * 3 + j]);
      assertThat(pair[3 + j]).isEqualTo(2 + noise[5 * 3 + j]);
    }
    double[] nextStep = new double[3];
    new DropoutMasks(7, 4).addTargetNoise(nextStep, new int[] {17}, 3, 0.25);
    assertThat(nextStep[0]).as("drawn anew each step").isNotEqualTo(noise[17 * 3]);
  }
}
