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
}
