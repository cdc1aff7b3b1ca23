package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  /** A 4 x 4 image whose pixels are 1..16, row by row. */
  private static double[] image() {
    double[] x = new double[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  private static double[] apply(String spec, double[] x, int row, long step) {
    double[] copy = x.clone();
    Augmentation.parse(spec, x.length).apply(copy, new int[] {row}, x.length, 5, step);
    return copy;
  }

  @Test
  void flipMirrorsLeftAndRightForAboutHalfTheRows() {
    double[] mirrored = {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13};
    int flipped = 0;
    for (int row = 0; row < 200; row++) {
      double[] out = apply("flip", image(), row, 1);
      assertThat(Arrays.equals(out, image()) || Arrays.equals(out, mirrored)).isTrue();
      flipped += Arrays.equals(out, mirrored) ? 1 : 0;
    }
    assertThat(flipped).isBetween(70, 130);
  }

  @Test
  void theChangeIsAFunctionOfSeedStepAndRowNotOfTheBatch() {
    double[] two = new double[32];
    System.arraycopy(image(), 0, two, 0, 16);
    System.arraycopy(image(), 0, two, 16, 16);
    Augmentation.parse("translate:1,noise:0.1", 16).apply(two, new int[] {3, 9}, 16, 5, 2);

    assertThat(Arrays.copyOfRange(two, 16, 32)).containsExactly(apply("translate:1,noise:0.1", image(), 9, 2));
    assertThat(apply("translate:1,noise:0.1", image(), 9, 3)).isNotEqualTo(apply("translate:1,noise:0.1", image(), 9, 2));
  }

  @Test
  void translationShiftsWithinItsRangeAndFillsWithZero() {
    for (int row = 0; row < 50; row++) {
      double[] out = apply("translate:1", image(), row, 0);
      boolean matches = false;
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          matches |= Arrays.equals(out, shifted(image(), dx, dy));
        }
      }
      assertThat(matches).as("row %d is a shift by at most one pixel", row).isTrue();
    }
  }

  private static double[] shifted(double[] x, int dx, int dy) {
    double[] out = new double[16];
    for (int y = 0; y < 4; y++) {
      for (int c = 0; c < 4; c++) {
        int sx = c - dx;
        int sy = y - dy;
        out[y * 4 + c] = sx >= 0 && sx < 4 && sy >= 0 && sy < 4 ? x[sy * 4 + sx] : 0;
      }
    }
    return out;
  }

  @Test
  void cutoutZeroesAtMostASquareAndCropKeepsAConstantImageConstant() {
    for (int row = 0; row < 20; row++) {
      double[] out = apply("cutout:2", image(), row, 0);
      assertThat(Arrays.stream(out).filter(v -> v == 0).count()).isBetween(1L, 4L);
    }
    double[] flat = new double[16];
    Arrays.fill(flat, 0.5);
    assertThat(apply("crop:0.6", flat, 4, 0)).containsOnly(0.5);
  }

  @Test
  void noiseHasTheAskedForSpreadOnAnyData() {
    double[] zeros = new double[10000];
    Augmentation.parse("noise:0.2", 10000 + 1).apply(zeros, new int[] {0}, 10000, 1, 0);
    double mean = Arrays.stream(zeros).average().orElseThrow();
    double std = Math.sqrt(Arrays.stream(zeros).map(v -> (v - mean) * (v - mean)).average().orElseThrow());

    assertThat(mean).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(std).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void badSpecificationsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Augmentation.parse("rotate", 16)).hasMessageContaining("unknown augmentation 'rotate'");
    assertThatThrownBy(() -> Augmentation.parse("flip", 2)).hasMessageContaining("needs square single-channel images");
    assertThatThrownBy(() -> Augmentation.parse("crop:1.5", 16)).hasMessageContaining("crop takes a scale in (0, 1)");
    assertThatThrownBy(() -> Augmentation.parse("cutout:0", 16)).hasMessageContaining("cutout takes a whole number >= 1");
    assertThat(Augmentation.parse("none", 2)).isNull();
  }
}
