package dptrain.coordinator.fullbatch;

/**
 * When a full-batch method stops, as torch.optim.LBFGS decides it: the largest gradient value
 * at most {@code grad}, or a step (t * max|d|) or a loss change smaller than {@code change}.
 */
record Tolerances(double grad, double change) {

  boolean gradientVanished(double[] g) {
    return Vectors.maxAbs(g) <= grad;
  }

  /** After a step t along d from a point with {@code previousLoss}, to {@code loss} and gradient g. */
  boolean converged(double loss, double previousLoss, double t, double[] d, double[] g) {
    return gradientVanished(g) || Math.abs(t) * Vectors.maxAbs(d) <= change || Math.abs(loss - previousLoss) < change;
  }
}
