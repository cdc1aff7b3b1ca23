package dptrain.worker.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer of Gaussian radial-basis units h_j(x) = exp(-||x - mu_j||^2 / (2 sigma_j^2)). The
 * centres are the columns of the layer's [in, out] weight, the widths its bias. The squared
 * distances come from one matrix product: ||x||^2 - 2 x . mu + ||mu||^2.
 */
final class RbfUnits {
  private RbfUnits() {}

  /** Writes the squared distances into {@code distances} [n, out] and the units' outputs into {@code h}. */
  static void forward(INDArray x, INDArray centres, INDArray widths, INDArray distances, INDArray h) {
    Gemm.gemm(x, centres, distances, false, false, -2.0, 0.0);
    distances.addiColumnVector(x.mul(x).sum(true, 1));
    distances.addiRowVector(centres.mul(centres).sum(true, 0));
    double[] d = NativeValues.read(distances);
    double[] sigma = NativeValues.read(widths);
    int out = sigma.length;
    double[] values = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.max(0, d[i]); // rounding can make a distance of 0 slightly negative
      double s = sigma[i % out];
      values[i] = Math.exp(-d[i] / (2 * s * s));
    }
    NativeValues.write(distances, d);
    NativeValues.write(h, values);
  }

  /**
   * From dL/dh ({@code delta}) writes dL/dmu into {@code gradCentres}, dL/dsigma into
   * {@code gradWidths}, and, when {@code inputDelta} is not null, dL/dx into it.
   */
  static void backward(INDArray x, INDArray centres, INDArray widths, INDArray distances, INDArray h, INDArray delta,
      INDArray scaled, INDArray ones, INDArray gradCentres, INDArray gradWidths, INDArray inputDelta) {
    double[] d = NativeValues.read(distances);
    double[] a = NativeValues.read(h);
    double[] g = NativeValues.read(delta);
    double[] sigma = NativeValues.read(widths);
    int out = sigma.length;
    double[] c = new double[d.length];
    double[] gradSigma = new double[out];
    for (int i = 0; i < d.length; i++) {
      int j = i % out;
      double s2 = sigma[j] * sigma[j];
      c[i] = g[i] * a[i] / s2;
      gradSigma[j] += c[i] * d[i] / sigma[j];
    }
    NativeValues.write(gradWidths, gradSigma);
    NativeValues.write(scaled, c);
    // dL/dmu_j = sum_i c_ij (x_i - mu_j)
    INDArray columnSums = Nd4j.gemm(ones, scaled, false, false);
    Gemm.gemm(x, scaled, gradCentres, true, false, 1.0, 0.0);
    gradCentres.subi(centres.mulRowVector(columnSums));
    if (inputDelta != null) {
      // dL/dx_i = sum_j c_ij (mu_j - x_i)
      Gemm.gemm(scaled, centres, inputDelta, false, true, 1.0, 0.0);
      inputDelta.subi(x.mulColumnVector(scaled.sum(true, 1)));
    }
  }
}
