package dptrain.worker.random;

import java.util.SplittableRandom;

/** Fisher-Yates, in place: the one shuffle every seeded order in dptrain uses. */
public final class Shuffle {
  private Shuffle() {}

  public static void inPlace(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
