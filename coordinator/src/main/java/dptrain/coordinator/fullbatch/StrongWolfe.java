package dptrain.coordinator.fullbatch;

/**
 * A line search for a step t along d that satisfies the strong Wolfe conditions
 * f(x + t d) <= f(x) + c1 t g'd and |g(x + t d)'d| <= c2 |g'd| (Nocedal and Wright, alg. 3.5
 * and 3.6: bracket, then zoom with safeguarded cubic interpolation), with the choices
 * torch.optim.LBFGS(line_search_fn="strong_wolfe") makes, so that trajectories agree:
 * at most 25 evaluations, the bracket abandoned when narrower than 1e-9 / max|d|, and a trial
 * moved 10% away from a bracket end after insufficient progress.
 */
final class StrongWolfe {
  private static final int MAX_EVALUATIONS = 25;
  private static final double TOLERANCE_CHANGE = 1e-9;

  /** The accepted step, the loss and gradient there, and how many evaluations it took. */
  record Result(double t, double loss, double[] gradient, int evaluations) {}

  private final double c1;
  private final double c2;

  StrongWolfe(double c1, double c2) {
    this.c1 = c1;
    this.c2 = c2;
  }

  Result search(Objective objective, double[] x, double t, double[] d, double f, double[] g, double gtd) {
    double dNorm = Vectors.maxAbs(d);
    Objective.Evaluation e = objective.evaluate(Vectors.step(x, t, d));
    int evaluations = 1;
    double fNew = e.loss();
    double[] gNew = e.gradient();
    double gtdNew = Vectors.dot(gNew, d);
    double tPrev = 0;
    double fPrev = f;
    double[] gPrev = g;
    double gtdPrev = gtd;
    // bracket[0..1] with their losses, gradients and directional derivatives
    double[] bt = null;
    double[] bf = null;
    double[][] bg = null;
    double[] bgtd = null;
    boolean done = false;
    int iteration = 0;
    while (iteration < MAX_EVALUATIONS) {
      if (fNew > f + c1 * t * gtd || (iteration > 1 && fNew >= fPrev)) {
        bt = new double[] {tPrev, t};
        bf = new double[] {fPrev, fNew};
        bg = new double[][] {gPrev, gNew};
        bgtd = new double[] {gtdPrev, gtdNew};
        break;
      }
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        return new Result(t, fNew, gNew, evaluations);
      }
      if (gtdNew >= 0) {
        bt = new double[] {tPrev, t};
        bf = new double[] {fPrev, fNew};
        bg = new double[][] {gPrev, gNew};
        bgtd = new double[] {gtdPrev, gtdNew};
        break;
      }
      double minStep = t + 0.01 * (t - tPrev);
      double maxStep = t * 10;
      double next = cubicMinimum(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
      tPrev = t;
      fPrev = fNew;
      gPrev = gNew;
      gtdPrev = gtdNew;
      t = next;
      e = objective.evaluate(Vectors.step(x, t, d));
      evaluations++;
      fNew = e.loss();
      gNew = e.gradient();
      gtdNew = Vectors.dot(gNew, d);
      iteration++;
    }
    if (iteration == MAX_EVALUATIONS) {
      bt = new double[] {0, t};
      bf = new double[] {f, fNew};
      bg = new double[][] {g, gNew};
      bgtd = new double[] {gtd, gtdNew};
    }
    // Zoom: shrink the bracket until a point satisfies the conditions.
    boolean insufficientProgress = false;
    int low = bf[0] <= bf[bf.length - 1] ? 0 : 1;
    int high = 1 - low;
    while (!done && iteration < MAX_EVALUATIONS) {
      if (Math.abs(bt[1] - bt[0]) * dNorm < TOLERANCE_CHANGE) {
        break;
      }
      t = cubicMinimum(bt[0], bf[0], bgtd[0], bt[1], bf[1], bgtd[1],
          Math.min(bt[0], bt[1]), Math.max(bt[0], bt[1]));
      double top = Math.max(bt[0], bt[1]);
      double bottom = Math.min(bt[0], bt[1]);
      double margin = 0.1 * (top - bottom);
      if (Math.min(top - t, t - bottom) < margin) {
        if (insufficientProgress || t >= top || t <= bottom) {
          t = Math.abs(t - top) < Math.abs(t - bottom) ? top - margin : bottom + margin;
          insufficientProgress = false;
        } else {
          insufficientProgress = true;
        }
      } else {
        insufficientProgress = false;
      }
      e = objective.evaluate(Vectors.step(x, t, d));
      evaluations++;
      fNew = e.loss();
      gNew = e.gradient();
      gtdNew = Vectors.dot(gNew, d);
      iteration++;
      if (fNew > f + c1 * t * gtd || fNew >= bf[low]) {
        bt[high] = t;
        bf[high] = fNew;
        bg[high] = gNew;
        bgtd[high] = gtdNew;
        low = bf[0] <= bf[1] ? 0 : 1;
        high = 1 - low;
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) {
          done = true;
        } else if (gtdNew * (bt[high] - bt[low]) >= 0) {
          bt[high] = bt[low];
          bf[high] = bf[low];
          bg[high] = bg[low];
          bgtd[high] = bgtd[low];
        }
        bt[low] = t;
        bf[low] = fNew;
        bg[low] = gNew;
        bgtd[low] = gtdNew;
      }
    }
    return new Result(bt[low], bf[low], bg[low], evaluations);
  }

  /**
   * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped
   * to [lower, upper]; the interval's middle when the cubic has no minimum.
   */
  static double cubicMinimum(double x1, double f1, double g1, double x2, double f2, double g2, double lower, double upper) {
    double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    double d2Square = d1 * d1 - g1 * g2;
    if (d2Square < 0) {
      return (lower + upper) / 2;
    }
    double d2 = Math.sqrt(d2Square);
    double minimum = x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minimum, lower), upper);
  }
}
