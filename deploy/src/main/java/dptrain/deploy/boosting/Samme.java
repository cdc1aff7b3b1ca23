package dptrain.deploy.boosting;

/**
 * SAMME (Zhu, Zou, Rosset and Hastie 2009), AdaBoost.M1 for C classes: after a member's
 * weighted training error err, its vote weight is alpha = ln((1 - err) / err) + ln(C - 1), and
 * each row it got wrong has its weight multiplied by e^alpha (then all are scaled to sum to 1).
 * With C = 2 this is AdaBoost.M1. A member no better than chance (err >= 1 - 1/C) gets no vote,
 * and boosting stops.
 */
final class Samme {
  /** A member's weighted error and its vote weight (0 when it is no better than chance). */
  record Round(double error, double alpha) {
    boolean better() {
      return alpha > 0;
    }
  }

  /** The smallest error counted, so a perfect member gets a large but finite vote. */
  private static final double SMALLEST_ERROR = 1e-10;

  private final int classes;
  private final double[] weights;

  /** n rows, each weighted 1 / n. */
  Samme(int rows, int classes) {
    this.classes = classes;
    this.weights = new double[rows];
    java.util.Arrays.fill(weights, 1.0 / rows);
  }

  /** The rows' current weights (summing to 1). */
  double[] weights() {
    return weights.clone();
  }

  /** Scores a member by which rows it got wrong, and reweights the rows for the next one. */
  Round update(boolean[] wrong) {
    if (wrong.length != weights.length) {
      throw new IllegalArgumentException(wrong.length + " answers for " + weights.length + " rows");
    }
    double error = 0;
    for (int i = 0; i < wrong.length; i++) {
      error += wrong[i] ? weights[i] : 0;
    }
    if (error >= 1 - 1.0 / classes) {
      return new Round(error, 0);
    }
    double clipped = Math.max(error, SMALLEST_ERROR);
    double alpha = Math.log((1 - clipped) / clipped) + Math.log(classes - 1);
    double factor = Math.exp(alpha);
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] *= wrong[i] ? factor : 1;
      sum += weights[i];
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= sum;
    }
    return new Round(error, alpha);
  }
}
