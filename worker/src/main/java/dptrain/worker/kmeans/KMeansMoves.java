package dptrain.worker.kmeans;

import dptrain.worker.data.Dataset;

/**
 * A worker's share of data-parallel k-means over training rows [from, to): the sums k-means++
 * seeding (Arthur and Vassilvitskii 2007) and Lloyd's steps need, each a pure function of the
 * rows and the centres, so the Coordinator's result does not depend on how rows are spread.
 */
public final class KMeansMoves {
  private KMeansMoves() {}

  /** Squared distance of a row to its nearest centre; 1 when there is no centre yet (uniform first pick). */
  static double nearestSquared(Dataset data, int row, double[] centres, int k) {
    if (k == 0) {
      return 1;
    }
    int width = data.width();
    double best = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double d = squaredDistance(data, row, centres, c, width);
      best = Math.min(best, d);
    }
    return best;
  }

  private static double squaredDistance(Dataset data, int row, double[] centres, int c, int width) {
    double d = 0;
    for (int j = 0; j < width; j++) {
      double diff = data.input(row, j) - centres[c * width + j];
      d += diff * diff;
    }
    return d;
  }

  /** The sum of D^2 over the rows. */
  public static double d2Sum(Dataset data, int from, int to, double[] centres, int k) {
    double sum = 0;
    for (int row = from; row < to; row++) {
      sum += nearestSquared(data, row, centres, k);
    }
    return sum;
  }

  /** The features of the first row at which the running sum of D^2 exceeds {@code target} (the last row if none). */
  public static double[] pick(Dataset data, int from, int to, double[] centres, int k, double target) {
    double running = 0;
    int chosen = to - 1;
    for (int row = from; row < to; row++) {
      running += nearestSquared(data, row, centres, k);
      if (running > target) {
        chosen = row;
        break;
      }
    }
    double[] features = new double[data.width()];
    for (int j = 0; j < features.length; j++) {
      features[j] = data.input(chosen, j);
    }
    return features;
  }

  /** One Lloyd step's sums: per centre the sum of its rows' features, their count and squared distances. */
  public record Assignment(double[] sums, long[] counts, double[] squares) {}

  public static Assignment assign(Dataset data, int from, int to, double[] centres, int k) {
    int width = data.width();
    double[] sums = new double[k * width];
    long[] counts = new long[k];
    double[] squares = new double[k];
    for (int row = from; row < to; row++) {
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double d = squaredDistance(data, row, centres, c, width);
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      counts[best]++;
      squares[best] += bestDistance;
      for (int j = 0; j < width; j++) {
        sums[best * width + j] += data.input(row, j);
      }
    }
    return new Assignment(sums, counts, squares);
  }
}
