package dptrain.coordinator.fullbatch;

import java.util.function.Consumer;

/**
 * Nonlinear conjugate gradient, Polak-Ribiere with restarts (Nocedal and Wright, sec. 5.2,
 * "PR+"): d_0 = -g_0; beta = max(0, g_k'(g_k - g_{k-1}) / g_{k-1}'g_{k-1}), restarting with
 * beta = 0 every n iterations (n the number of parameters) or when d is not a descent
 * direction; d_k = -g_k + beta d_{k-1}; the step from a strong-Wolfe line search with c2 = 0.1
 * (CG needs a tighter curvature condition than quasi-Newton methods). The first trial step is
 * min(1, 1 / |g|_1) * lr, later ones t_{k-1} g_{k-1}'d_{k-1} / g_k'd_k (sec. 3.5). Stops as
 * {@link Lbfgs} does.
 */
public final class ConjugateGradient implements Minimizer {
  private final double lr;
  private final int maxIterations;
  private final Tolerances tolerances;
  private final StrongWolfe lineSearch = new StrongWolfe(1e-4, 0.1);

  public ConjugateGradient(double lr, int maxIterations, double toleranceGrad, double toleranceChange) {
    this.lr = lr;
    this.maxIterations = maxIterations;
    this.tolerances = new Tolerances(toleranceGrad, toleranceChange);
  }

  @Override
  public double[] minimize(Objective objective, double[] x0, Consumer<Iteration> onIteration) {
    double[] x = x0.clone();
    Objective.Evaluation start = objective.evaluate(x);
    double loss = start.loss();
    double[] g = start.gradient();
    int evaluations = 1;
    if (tolerances.gradientVanished(g)) {
      return x;
    }
    double[] d = Vectors.scaled(g, -1);
    double t = Math.min(1.0, 1.0 / Vectors.sumAbs(g)) * lr;
    double previousGtd = 0;
    for (int n = 1; n <= maxIterations; n++) {
      double gtd = Vectors.dot(g, d);
      if (gtd >= 0) {
        d = Vectors.scaled(g, -1); // not a descent direction: restart
        gtd = Vectors.dot(g, d);
      }
      if (gtd > -tolerances.change()) {
        break;
      }
      if (n > 1) {
        t = t * previousGtd / gtd;
      }
      StrongWolfe.Result found = lineSearch.search(objective, x, t, d, loss, g, gtd);
      double previousLoss = loss;
      t = found.t();
      x = Vectors.step(x, t, d);
      loss = found.loss();
      double[] previousG = g;
      g = found.gradient();
      evaluations += found.evaluations();
      previousGtd = gtd;
      onIteration.accept(new Iteration(n, loss, t, evaluations));
      if (n == maxIterations || tolerances.converged(loss, previousLoss, t, d, g)) {
        break;
      }
      double beta = n % x.length == 0 ? 0
          : Math.max(0, (Vectors.dot(g, g) - Vectors.dot(g, previousG)) / Vectors.dot(previousG, previousG));
      double[] next = Vectors.scaled(g, -1);
      Vectors.addScaled(next, beta, d);
      d = next;
    }
    return x;
  }
}
