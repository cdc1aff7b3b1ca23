package dptrain.coordinator.fullbatch;

/** The little vector algebra the full-batch methods need, on double[]. */
final class Vectors {
  private Vectors() {}

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double maxAbs(double[] a) {
    double max = 0;
    for (double v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  static double sumAbs(double[] a) {
    double sum = 0;
    for (double v : a) {
      sum += Math.abs(v);
    }
    return sum;
  }

  /** x + t d, as a new array. */
  static double[] step(double[] x, double t, double[] d) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + t * d[i];
    }
    return out;
  }

  static double[] scaled(double[] a, double factor) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * factor;
    }
    return out;
  }

  static double[] difference(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  /** a += factor * b. */
  static void addScaled(double[] a, double factor, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += factor * b[i];
    }
  }
}
