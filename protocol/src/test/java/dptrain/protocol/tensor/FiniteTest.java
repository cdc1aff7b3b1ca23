package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiniteTest {
  @Test
  void aNaNOrAnInfinityAnywhereIsFoundAndLargeFiniteValuesAreNot() {
    for (int length : new int[] {0, 1, 7, 8, 9, 31, 1000}) {
      float[] floats = new float[length];
      double[] doubles = new double[length];
      java.util.Arrays.fill(floats, Float.MAX_VALUE);
      java.util.Arrays.fill(doubles, -Double.MAX_VALUE);
      assertThat(Finite.all(floats)).as("%d floats", length).isTrue();
      assertThat(Finite.all(doubles)).as("%d doubles", length).isTrue();
      for (int at = 0; at < length; at += Math.max(1, length / 5)) {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
          float[] f = floats.clone();
          f[at] = bad;
          double[] d = doubles.clone();
          d[at] = bad;
          assertThat(Finite.all(f)).as("%s at %d of %d floats", bad, at, length).isFalse();
          assertThat(Finite.all(d)).as("%s at %d of %d doubles", bad, at, length).isFalse();
        }
      }
    }
  }

  @Test
  void aRangeIsCheckedOnItsOwn() {
    float[] values = {1, Float.NaN, 2, 3, 4, 5, 6, 7, 8, 9, 10, Float.POSITIVE_INFINITY};
    assertThat(Finite.all(values, 2, 11)).isTrue();
    assertThat(Finite.all(values, 1, 11)).isFalse();
    assertThat(Finite.all(values, 2, 12)).isFalse();
  }
}
