package dptrain.coordinator.fullbatch;

import java.util.Optional;

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
    var run = new Run(objective, x, d, new Point(0, f, g, gtd));
    Point now = run.evaluate(t);
    Optional<Point> accepted = run.bracket(now);
    Point found = accepted.isPresent() ? accepted.get() : run.zoom();
    return new Result(found.t(), found.f(), found.g(), run.evaluations);
  }

  /** A trial step: its loss, gradient and directional derivative along d. */
  private record Point(double t, double f, double[] g, double gtd) {}

  /** One search from x along d; every evaluation after the first is an iteration. */
  private final class Run {
    final Objective objective;
    final double[] x;
    final double[] d;
    final Point start;
    final double dNorm;
    int evaluations;
    /** The bracket [0], [1] the zoom shrinks. */
    Point[] bracket;
    boolean insufficientProgress;

    Run(Objective objective, double[] x, double[] d, Point start) {
      this.objective = objective;
      this.x = x;
      this.d = d;
      this.start = start;
      this.dNorm = Vectors.maxAbs(d);
    }

    Point evaluate(double t) {
      Objective.Evaluation e = objective.evaluate(Vectors.step(x, t, d));
      evaluations++;
      return new Point(t, e.loss(), e.gradient(), Vectors.dot(e.gradient(), d));
    }

    int iteration() {
      return evaluations - 1;
    }

    /** Armijo's condition fails (written as torch writes it, so that a NaN loss compares the same way). */
    boolean insufficientDecrease(Point p) {
      return p.f() > start.f() + c1 * p.t() * start.gtd();
    }

    boolean curvature(Point p) {
      return Math.abs(p.gtd()) <= -c2 * start.gtd();
    }

    /** Grows the step until it brackets an acceptable one (then empty) or is acceptable itself. */
    Optional<Point> bracket(Point first) {
      Point previous = start;
      Point now = first;
      while (iteration() < MAX_EVALUATIONS) {
        if (insufficientDecrease(now) || (iteration() > 1 && now.f() >= previous.f())) {
          bracket = new Point[] {previous, now};
          return Optional.empty();
        }
        if (curvature(now)) {
          return Optional.of(now);
        }
        if (now.gtd() >= 0) {
          bracket = new Point[] {previous, now};
          return Optional.empty();
        }
        double next = cubicMinimum(previous.t(), previous.f(), previous.gtd(), now.t(), now.f(), now.gtd(),
            now.t() + 0.01 * (now.t() - previous.t()), now.t() * 10);
        previous = now;
        now = evaluate(next);
      }
      bracket = new Point[] {start, now};
      return Optional.empty();
    }

    /** Shrinks the bracket until a point satisfies the conditions (or the evaluations or the bracket run out). */
    Point zoom() {
      Point[] b = bracket;
      int low = b[0].f() <= b[1].f() ? 0 : 1;
      int high = 1 - low;
      boolean done = false;
      while (!done && iteration() < MAX_EVALUATIONS && !(Math.abs(b[1].t() - b[0].t()) * dNorm < TOLERANCE_CHANGE)) {
        Point p = evaluate(safeguarded(cubicMinimum(b[0].t(), b[0].f(), b[0].gtd(), b[1].t(), b[1].f(), b[1].gtd(),
            Math.min(b[0].t(), b[1].t()), Math.max(b[0].t(), b[1].t())), b));
        if (insufficientDecrease(p) || p.f() >= b[low].f()) {
          b[high] = p;
          low = b[0].f() <= b[1].f() ? 0 : 1;
          high = 1 - low;
        } else {
          if (curvature(p)) {
            done = true;
          } else if (p.gtd() * (b[high].t() - b[low].t()) >= 0) {
            b[high] = b[low];
          }
          b[low] = p;
        }
      }
      return b[low];
    }

    /** A trial too close to a bracket end moves 10% of the bracket away from it after insufficient progress. */
    double safeguarded(double t, Point[] b) {
      double top = Math.max(b[0].t(), b[1].t());
      double bottom = Math.min(b[0].t(), b[1].t());
      double margin = 0.1 * (top - bottom);
      if (!(Math.min(top - t, t - bottom) < margin)) {
        insufficientProgress = false;
        return t;
      }
      if (insufficientProgress || t >= top || t <= bottom) {
        insufficientProgress = false;
        return Math.abs(t - top) < Math.abs(t - bottom) ? top - margin : bottom + margin;
      }
      insufficientProgress = true;
      return t;
    }
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
