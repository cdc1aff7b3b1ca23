package dptrain.worker.data;

import dptrain.worker.random.Seeds;
import java.util.SplittableRandom;

/**
 * Small generated sets for checks and examples. Each is evaluated on a held-out draw from
 * the same distribution (a different random stream), except {@code xor}, whose four points
 * are both its training and its test set.
 */
public final class SyntheticData {
  private SyntheticData() {}

  public static TrainTestData named(String name, long seed) {
    return switch (name) {
      case "xor" -> new TrainTestData(xor(), xor(), "synthetic xor (4 points)");
      case "linear" -> new TrainTestData(linear(30, Seeds.random(seed, "linear-train")),
          linear(30, Seeds.random(seed, "linear-test")), "synthetic linear y = 3x + 2 + U(-0.1, 0.1), x ~ U(-2, 2)");
      case "spirals" -> new TrainTestData(spirals(1000, Seeds.random(seed, "spirals-train")),
          spirals(500, Seeds.random(seed, "spirals-test")), "synthetic two spirals");
      case "spirals-small" -> new TrainTestData(spirals(40, Seeds.random(seed, "spirals-small-train")),
          spirals(500, Seeds.random(seed, "spirals-small-test")), "synthetic two spirals, 40 training points");
      case "spirals-radius" -> new TrainTestData(spiralsWithRadius(1000, Seeds.random(seed, "spirals-train")),
          spiralsWithRadius(500, Seeds.random(seed, "spirals-test")),
          "synthetic two spirals, targets: the spiral (class 0 or 1) and the radius");
      default -> throw new DataException("unknown synthetic set '" + name + "' (allowed: xor, linear, spirals, spirals-small, spirals-radius)");
    };
  }

  /** The four points of exclusive-or, labelled 0 and 1. */
  public static Dataset xor() {
    return Dataset.labelled(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new int[] {0, 1, 1, 0});
  }

  /** y = 3x + 2 + U(-0.1, 0.1), the lectures' linear-regression example. */
  public static Dataset linear(int n, SplittableRandom random) {
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextDouble(-2, 2);
      y[i] = (float) (3 * x[i] + 2 + random.nextDouble(-0.1, 0.1));
    }
    return Dataset.regression(x, 1, y, 1);
  }

  /** Two interleaved spirals in the plane, one per class, with a little noise. */
  public static Dataset spirals(int n, SplittableRandom random) {
    float[] xy = new float[2 * n];
    spiralPoints(n, random, xy, null);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
    }
    return Dataset.labelled(xy, 2, labels);
  }

  /**
   * The same points (the same draws for the same seed) with two targets for a two-head model:
   * the spiral (0 or 1, a class) and the point's distance along it, t in [0.25, 1) (a real value).
   */
  public static Dataset spiralsWithRadius(int n, SplittableRandom random) {
    float[] xy = new float[2 * n];
    float[] targets = new float[2 * n];
    spiralPoints(n, random, xy, targets);
    return Dataset.regression(xy, 2, targets, 2);
  }

  /** Fills n points of the two spirals; with {@code targets}, each point's (spiral, t). */
  private static void spiralPoints(int n, SplittableRandom random, float[] xy, float[] targets) {
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      double t = random.nextDouble(0.25, 1.0);
      double angle = 3 * Math.PI * t + label * Math.PI;
      xy[2 * i] = (float) (t * Math.cos(angle) + random.nextGaussian() * 0.02);
      xy[2 * i + 1] = (float) (t * Math.sin(angle) + random.nextGaussian() * 0.02);
      if (targets != null) {
        targets[2 * i] = label;
        targets[2 * i + 1] = (float) t;
      }
    }
  }
}
