package dptrain.coordinator.fullbatch;

/**
 * The full-batch training loss as a function of the flat parameters: its value and gradient at
 * a point. On a cluster one evaluation is one round of every worker over its share of the data.
 */
public interface Objective {
  Evaluation evaluate(double[] x);

  /** The mean loss and its gradient at a point. */
  record Evaluation(double loss, double[] gradient) {}
}
