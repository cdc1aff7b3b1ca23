package dptrain.worker.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward and backward passes of the units that are not element-wise functions of one
 * value with fixed parameters: PReLU (a learned slope) and maxout (a max over K pieces). Plain
 * loops over the values; these layers are for experiments, not the fast path.
 */
final class PiecewiseUnits {
  private PiecewiseUnits() {}

  /** PReLU in place: h = z for z > 0, alpha z otherwise. */
  static void prelu(INDArray z, double alpha) {
    double[] v = NativeValues.read(z);
    for (int i = 0; i < v.length; i++) {
      if (v[i] <= 0) {
        v[i] *= alpha;
      }
    }
    NativeValues.write(z, v);
  }

  /** PReLU's backward: delta *= (z > 0 ? 1 : alpha) in place; returns dL/dalpha = sum of delta z over z <= 0. */
  static double preluBackward(INDArray z, INDArray delta, double alpha) {
    double[] pre = NativeValues.read(z);
    double[] d = NativeValues.read(delta);
    double gradAlpha = 0;
    for (int i = 0; i < d.length; i++) {
      if (pre[i] <= 0) {
        gradAlpha += d[i] * pre[i];
        d[i] *= alpha;
      }
    }
    NativeValues.write(delta, d);
    return gradAlpha;
  }

  /** Maxout: h[i, j] = max over p of z[i, j K + p]; remembers the winning piece. */
  static void maxout(INDArray z, INDArray h, int pieces, int[] winners) {
    double[] in = NativeValues.read(z);
    double[] out = new double[(int) h.length()];
    for (int u = 0; u < out.length; u++) {
      int best = u * pieces;
      for (int p = 1; p < pieces; p++) {
        if (in[u * pieces + p] > in[best]) {
          best = u * pieces + p;
        }
      }
      winners[u] = best;
      out[u] = in[best];
    }
    NativeValues.write(h, out);
  }

  /** Maxout's backward: each unit's delta goes to its winning piece, the other pieces get 0. */
  static void maxoutBackward(INDArray delta, INDArray denseDelta, int[] winners) {
    double[] d = NativeValues.read(delta);
    double[] spread = new double[(int) denseDelta.length()];
    for (int u = 0; u < d.length; u++) {
      spread[winners[u]] = d[u];
    }
    NativeValues.write(denseDelta, spread);
  }
}
