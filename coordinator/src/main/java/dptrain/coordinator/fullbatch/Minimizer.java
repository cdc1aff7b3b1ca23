package dptrain.coordinator.fullbatch;

/** A full-batch method: improves x for at most a number of iterations, reporting each. */
public interface Minimizer {
  /** What one iteration achieved: the loss after it, the step length taken, the evaluations so far. */
  record Iteration(int index, double loss, double step, int evaluations) {}

  /** Runs from {@code x0}; returns the final point. */
  double[] minimize(Objective objective, double[] x0, java.util.function.Consumer<Iteration> onIteration);
}
