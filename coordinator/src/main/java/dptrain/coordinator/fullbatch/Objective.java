package dptrain.coordinator.fullbatch;

/**
 * The full-batch training loss as a function of the flat parameters: its value and gradient at
 * a point. On a cluster one evaluation is one round of every worker over its share of the data.
 */
public interface Objective {
  Evaluation evaluate(double[] x);

  /** H v, the Hessian of the mean loss at x times v (Newton's method); one more round of the workers. */
  default double[] hessianTimes(double[] x, double[] v) {
    throw new UnsupportedOperationException("this objective has no Hessian-vector products");
  }

  /** The mean loss and its gradient at a point. */
  record Evaluation(double loss, double[] gradient) {}
}
