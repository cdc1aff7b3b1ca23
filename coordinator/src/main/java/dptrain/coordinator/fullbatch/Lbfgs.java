package dptrain.coordinator.fullbatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Limited-memory BFGS (Nocedal and Wright, alg. 7.4 and 7.5) with a strong-Wolfe line search,
 * following torch.optim.LBFGS(line_search_fn="strong_wolfe") step for step so that the two
 * agree: the two-loop recursion over the last {@code historySize} pairs (a pair is kept only
 * when y's > 1e-10), H0 = y's / y'y, a first step of min(1, 1 / |g|_1) * lr and lr after that,
 * and torch's stopping rules (max|g| <= toleranceGrad, no descent, a step or loss change below
 * toleranceChange, at most 1.25 evaluations per iteration on average).
 */
public final class Lbfgs implements Minimizer {
  private final double lr;
  private final int historySize;
  private final int maxIterations;
  private final Tolerances tolerances;
  private final StrongWolfe lineSearch = new StrongWolfe(1e-4, 0.9);

  public Lbfgs(double lr, int historySize, int maxIterations, double toleranceGrad, double toleranceChange) {
    this.lr = lr;
    this.historySize = historySize;
    this.maxIterations = maxIterations;
    this.tolerances = new Tolerances(toleranceGrad, toleranceChange);
  }

  @Override
  public double[] minimize(Objective objective, double[] x0, Consumer<Iteration> onIteration) {
    int maxEvaluations = maxIterations * 5 / 4;
    double[] x = x0.clone();
    Objective.Evaluation start = objective.evaluate(x);
    double loss = start.loss();
    double[] g = start.gradient();
    int evaluations = 1;
    if (tolerances.gradientVanished(g)) {
      return x;
    }
    Deque<double[]> ys = new ArrayDeque<>();
    Deque<double[]> ss = new ArrayDeque<>();
    Deque<Double> rhos = new ArrayDeque<>();
    double hDiag = 1;
    double[] d = null;
    double[] previousG = null;
    double t = 0;
    for (int n = 1; n <= maxIterations; n++) {
      if (n == 1) {
        d = Vectors.scaled(g, -1);
      } else {
        double[] y = Vectors.difference(g, previousG);
        double[] s = Vectors.scaled(d, t);
        double yTs = Vectors.dot(y, s);
        if (yTs > 1e-10) {
          if (ys.size() == historySize) {
            ys.removeFirst();
            ss.removeFirst();
            rhos.removeFirst();
          }
          ys.addLast(y);
          ss.addLast(s);
          rhos.addLast(1.0 / yTs);
          hDiag = yTs / Vectors.dot(y, y);
        }
        d = twoLoop(g, new ArrayList<>(ys), new ArrayList<>(ss), new ArrayList<>(rhos), hDiag);
      }
      previousG = g;
      double previousLoss = loss;
      t = n == 1 ? Math.min(1.0, 1.0 / Vectors.sumAbs(g)) * lr : lr;
      double gtd = Vectors.dot(g, d);
      if (gtd > -tolerances.change()) {
        break;
      }
      StrongWolfe.Result found = lineSearch.search(objective, x, t, d, loss, g, gtd);
      t = found.t();
      x = Vectors.step(x, t, d);
      loss = found.loss();
      g = found.gradient();
      evaluations += found.evaluations();
      onIteration.accept(new Iteration(n, loss, t, evaluations));
      if (n == maxIterations || evaluations >= maxEvaluations || tolerances.converged(loss, previousLoss, t, d, g)) {
        break;
      }
    }
    return x;
  }

  /** The two-loop recursion: -H g from the stored pairs, oldest first in the lists. */
  private static double[] twoLoop(double[] g, List<double[]> ys, List<double[]> ss, List<Double> rhos, double hDiag) {
    int m = ys.size();
    double[] alpha = new double[m];
    double[] q = Vectors.scaled(g, -1);
    for (int i = m - 1; i >= 0; i--) {
      alpha[i] = Vectors.dot(ss.get(i), q) * rhos.get(i);
      Vectors.addScaled(q, -alpha[i], ys.get(i));
    }
    double[] r = Vectors.scaled(q, hDiag);
    for (int i = 0; i < m; i++) {
      double beta = Vectors.dot(ys.get(i), r) * rhos.get(i);
      Vectors.addScaled(r, alpha[i] - beta, ss.get(i));
    }
    return r;
  }
}
