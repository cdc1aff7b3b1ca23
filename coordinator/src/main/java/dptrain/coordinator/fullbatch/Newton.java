package dptrain.coordinator.fullbatch;

import java.util.function.Consumer;

/**
 * Newton's method with a regularised Hessian (the lecture's eq. 8.28): theta <- theta - [H +
 * alpha I]^-1 g, the step solved by conjugate gradient on Hessian-vector products (truncated
 * Newton, as in Martens 2010), each product one round of the workers. The damping alpha follows
 * a Levenberg-Marquardt schedule: the loss at theta + p is compared with the quadratic model's
 * prediction q(p) = g'p + p'(H + alpha I)p / 2; a ratio under 1/4 multiplies alpha by 3/2, one
 * over 3/4 by 2/3. A step that does not lower the loss is halved until it lowers it enough
 * (Armijo's condition, at most 8 times), and is not taken if none does. CG stops at a direction
 * of non-positive curvature (H + alpha I not positive definite there); with no step yet, alpha
 * grows until one is found, so an indefinite H never sends the method uphill. Stops as
 * {@link Lbfgs} does after a step, or when a step not taken was promised less than the change tolerance.
 */
public final class Newton implements Minimizer {
  /** How often the damping may grow in one iteration before the method gives up on the point. */
  private static final int MAX_DAMPING_RAISES = 60;
  /** Halvings of a step that raised the loss, and the sufficient decrease each must show. */
  private static final int MAX_HALVINGS = 8;
  private static final double ARMIJO = 1e-4;

  private final double damping;
  private final int cgIterations;
  private final double cgTolerance;
  private final int maxIterations;
  private final Tolerances tolerances;
  private final boolean exactHessian;

  /**
   * {@code damping}: the initial alpha (> 0); {@code cgIterations}: Hessian-vector products per
   * step at most; {@code cgTolerance}: CG stops once its residual is below this times |g|.
   */
  public Newton(double damping, int cgIterations, double cgTolerance, int maxIterations, double toleranceGrad,
      double toleranceChange) {
    this(damping, cgIterations, cgTolerance, maxIterations, toleranceGrad, toleranceChange, false);
  }

  /** With {@code exactHessian}: the whole H from n products per iteration, the step by Cholesky instead of CG. */
  public Newton(double damping, int cgIterations, double cgTolerance, int maxIterations, double toleranceGrad,
      double toleranceChange, boolean exactHessian) {
    if (!(damping > 0) || cgIterations < 1 || !(cgTolerance > 0)) {
      throw new IllegalArgumentException("newton needs damping > 0, cg-iterations >= 1 and cg-tolerance > 0");
    }
    this.damping = damping;
    this.cgIterations = cgIterations;
    this.cgTolerance = cgTolerance;
    this.maxIterations = maxIterations;
    this.tolerances = new Tolerances(toleranceGrad, toleranceChange);
    this.exactHessian = exactHessian;
  }

  /** A CG solve of (H + alpha I) p = -g: the step, (H + alpha I) p, and how many products it took. */
  private record Solve(double[] step, double[] curvedStep, int products) {}

  @Override
  public double[] minimize(Objective objective, double[] x0, Consumer<Iteration> onIteration) {
    double[] x = x0.clone();
    Objective.Evaluation at = objective.evaluate(x);
    int evaluations = 1;
    double alpha = damping;
    for (int n = 1; n <= maxIterations && !tolerances.gradientVanished(at.gradient()); n++) {
      double[] g = at.gradient();
      double[] point = x;
      ExactHessian h = exactHessian ? ExactHessian.at(objective, x) : null;
      java.util.function.DoubleFunction<Solve> solver = h == null ? a -> solve(objective, point, g, a) : a -> {
        double[] step = h.solve(g, a);
        return new Solve(step, step == null ? null : h.times(step, a), 0);
      };
      evaluations += h == null ? 0 : h.size();
      Solve solve = solver.apply(alpha);
      evaluations += solve.products();
      int raises = 0;
      while (solve.step() == null) {
        if (++raises > MAX_DAMPING_RAISES) {
          throw new IllegalStateException("newton: H + alpha I stayed indefinite up to alpha = " + alpha);
        }
        alpha *= 2;
        solve = solver.apply(alpha);
        evaluations += solve.products();
      }
      double[] p = solve.step();
      double predicted = Vectors.dot(g, p) + 0.5 * Vectors.dot(p, solve.curvedStep());
      double[] trial = Vectors.step(x, 1, p);
      Objective.Evaluation there = objective.evaluate(trial);
      evaluations++;
      double ratio = predicted < 0 ? (there.loss() - at.loss()) / predicted : 0;
      if (ratio < 0.25) {
        alpha *= 1.5;
      } else if (ratio > 0.75) {
        alpha *= 2.0 / 3.0;
      }
      double t = 1;
      double slope = Vectors.dot(g, p);
      // A step the loss does not take is halved (Armijo's backtracking) before it is given up.
      for (int halving = 0; there.loss() >= at.loss() && halving < MAX_HALVINGS && slope < 0; halving++) {
        t /= 2;
        trial = Vectors.step(x, t, p);
        there = objective.evaluate(trial);
        evaluations++;
        if (there.loss() > at.loss() + ARMIJO * t * slope) {
          there = new Objective.Evaluation(Double.POSITIVE_INFINITY, there.gradient());
        }
      }
      boolean taken = there.loss() < at.loss();
      double previousLoss = at.loss();
      if (taken) {
        x = trial;
        at = there;
      }
      onIteration.accept(new Iteration(n, at.loss(), taken ? t : 0, evaluations));
      if (taken ? tolerances.converged(at.loss(), previousLoss, t, p, at.gradient()) : -predicted < tolerances.change()) {
        // Taken: as L-BFGS stops. Not taken: the quadratic model promises less than the tolerance (the minimum, to the loss's precision).
        break;
      }
    }
    return x;
  }

  /** CG from p = 0; null step when the first direction already has non-positive curvature. */
  private Solve solve(Objective objective, double[] x, double[] g, double alpha) {
    int size = g.length;
    double[] p = new double[size];
    double[] curved = new double[size];
    double[] r = Vectors.scaled(g, -1);
    double[] d = r.clone();
    double rr = Vectors.dot(r, r);
    double stop = cgTolerance * Math.sqrt(rr);
    int products = 0;
    for (int j = 0; j < cgIterations && Math.sqrt(rr) > stop; j++) {
      double[] hd = objective.hessianTimes(x, d);
      products++;
      for (int i = 0; i < size; i++) {
        hd[i] += alpha * d[i];
      }
      double curvature = Vectors.dot(d, hd);
      if (!(curvature > 0)) {
        if (j == 0) {
          return new Solve(null, null, products);
        }
        break;
      }
      double a = rr / curvature;
      for (int i = 0; i < size; i++) {
        p[i] += a * d[i];
        curved[i] += a * hd[i];
        r[i] -= a * hd[i];
      }
      double next = Vectors.dot(r, r);
      for (int i = 0; i < size; i++) {
        d[i] = r[i] + next / rr * d[i];
      }
      rr = next;
    }
    return new Solve(p, curved, products);
  }
}
