package dptrain.coordinator.fullbatch;

/**
 * The whole Hessian at a point, for models small enough to hold one: column i is H e_i, one
 * Hessian-vector product (one round of the workers) each, made exactly symmetric. The damped
 * system (H + alpha I) p = -g is then solved by Cholesky's factorisation, which fails exactly
 * when H + alpha I is not positive definite.
 */
final class ExactHessian {
  /** The most parameters whose Hessian is held (a 4096 x 4096 matrix of doubles is 128 MB). */
  static final int MAX_PARAMETERS = 4096;

  private final double[][] h;

  private ExactHessian(double[][] h) {
    this.h = h;
  }

  /** H at x, from n products. */
  static ExactHessian at(Objective objective, double[] x) {
    int n = x.length;
    if (n > MAX_PARAMETERS) {
      throw new IllegalArgumentException("an exact Hessian of " + n + " parameters is too large (at most " + MAX_PARAMETERS + ")");
    }
    double[][] h = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] unit = new double[n];
      unit[i] = 1;
      h[i] = objective.hessianTimes(x, unit);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double mean = 0.5 * (h[i][j] + h[j][i]);
        h[i][j] = mean;
        h[j][i] = mean;
      }
    }
    return new ExactHessian(h);
  }

  int size() {
    return h.length;
  }

  /** p with (H + alpha I) p = -g, or null when H + alpha I is not positive definite. */
  double[] solve(double[] g, double alpha) {
    int n = h.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = h[i][j] + (i == j ? alpha : 0);
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            return null;
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = -g[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * y[k];
      }
      y[i] = sum / l[i][i];
    }
    double[] p = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < n; k++) {
        sum -= l[k][i] * p[k];
      }
      p[i] = sum / l[i][i];
    }
    return p;
  }

  /** (H + alpha I) p. */
  double[] times(double[] p, double alpha) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      double sum = alpha * p[i];
      for (int j = 0; j < p.length; j++) {
        sum += h[i][j] * p[j];
      }
      out[i] = sum;
    }
    return out;
  }
}
