package dptrain.worker.model;

import java.util.SplittableRandom;

/**
 * Orthogonal initialisation (Saxe et al. 2014), as torch.nn.init.orthogonal_: draw a Gaussian
 * matrix with the larger dimension as rows, take the Q of its QR decomposition (modified
 * Gram-Schmidt), multiply each column by the sign of R's diagonal, and transpose back when the
 * weight is wider than tall. The result has orthonormal rows or columns.
 */
final class Orthogonal {
  private Orthogonal() {}

  /** Fills the [in, out] row-major weight at {@code from}. */
  static void fill(double[] params, int from, int in, int out, SplittableRandom random) {
    int rows = Math.max(in, out);
    int cols = Math.min(in, out);
    double[][] q = new double[cols][rows]; // column vectors
    for (int c = 0; c < cols; c++) {
      for (int r = 0; r < rows; r++) {
        q[c][r] = random.nextGaussian();
      }
    }
    for (int c = 0; c < cols; c++) {
      for (int prior = 0; prior < c; prior++) {
        double dot = 0;
        for (int r = 0; r < rows; r++) {
          dot += q[prior][r] * q[c][r];
        }
        for (int r = 0; r < rows; r++) {
          q[c][r] -= dot * q[prior][r];
        }
      }
      double norm = 0;
      for (int r = 0; r < rows; r++) {
        norm += q[c][r] * q[c][r];
      }
      norm = Math.sqrt(norm);
      // R's diagonal entry is the norm (positive), so no sign flip is needed with Gram-Schmidt.
      for (int r = 0; r < rows; r++) {
        q[c][r] /= norm;
      }
    }
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        params[from + i * out + j] = in >= out ? q[j][i] : q[i][j];
      }
    }
  }
}
