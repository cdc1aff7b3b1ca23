package dptrain.worker.model;

import dptrain.protocol.job.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization of a dense layer's output z (Ioffe and Szegedy 2015): in training
 * y = gamma (z - mean) / sqrt(var + eps) + beta with the micro-batch's mean and biased variance;
 * in inference with the running mean and variance. The running statistics are kept by the
 * parameter-server shards: the backward pass writes n times the batch mean and n times the
 * unbiased variance n/(n-1) var into their slots of the gradient, so the shards' mean over
 * micro-batches is the sample-weighted mean of the micro-batches' statistics.
 */
final class BatchNorm {
  private BatchNorm() {}

  /** Normalizes {@code z} [n, out] in place with its own statistics, keeping what backward needs in {@code b}. */
  static void train(INDArray z, INDArray gamma, INDArray beta, BatchBuffers b, int layer) {
    int n = b.n;
    INDArray mean = b.batchMean[layer];
    INDArray variance = b.batchVariance[layer];
    INDArray inverseStd = b.inverseStd[layer];
    Gemm.gemm(b.ones, z, mean, false, false, 1.0 / n, 0.0);
    z.subiRowVector(mean);
    INDArray squares = b.scratch[layer].assign(z).muli(z);
    Gemm.gemm(b.ones, squares, variance, false, false, 1.0 / n, 0.0);
    inverseStd.assign(variance).addi(LayerSpec.BATCH_NORM_EPS);
    Transforms.sqrt(inverseStd, false).rdivi(1.0);
    z.muliRowVector(inverseStd);
    b.normalized[layer].assign(z);
    z.muliRowVector(gamma).addiRowVector(beta);
    variance.muli((double) n / Math.max(1, n - 1)); // unbiased, for the running variance
  }

  /**
   * Synchronised batch norm's forward, first half: this micro-batch's sums (sum z and sum z^2 per
   * unit, then the row count), to be added over every micro-batch of the step.
   */
  static double[] forwardSums(INDArray z, BatchBuffers b, int layer) {
    int out = (int) z.size(1);
    Gemm.gemm(b.ones, z, b.batchMean[layer], false, false, 1.0, 0.0);
    Gemm.gemm(b.ones, b.scratch[layer].assign(z).muli(z), b.batchVariance[layer], false, false, 1.0, 0.0);
    double[] local = new double[2 * out + 1];
    System.arraycopy(NativeValues.read(b.batchMean[layer]), 0, local, 0, out);
    System.arraycopy(NativeValues.read(b.batchVariance[layer]), 0, local, out, out);
    local[2 * out] = b.n;
    return local;
  }

  /**
   * Synchronised batch norm's forward, second half: normalizes {@code z} in place with the
   * global batch's statistics from the step's {@code total} sums, and writes the global mean and
   * unbiased variance for the running statistics.
   */
  static void normalizeSynced(INDArray z, INDArray gamma, INDArray beta, BatchBuffers b, int layer, double[] total) {
    int out = (int) z.size(1);
    double rows = total[2 * out];
    double[] mean = new double[out];
    double[] variance = new double[out];
    for (int j = 0; j < out; j++) {
      mean[j] = total[j] / rows;
      variance[j] = Math.max(0, total[out + j] / rows - mean[j] * mean[j]);
    }
    NativeValues.write(b.batchMean[layer], mean);
    NativeValues.write(b.batchVariance[layer], variance);
    b.globalRows[layer] = rows;
    INDArray inverseStd = b.inverseStd[layer];
    inverseStd.assign(b.batchVariance[layer]).addi(LayerSpec.BATCH_NORM_EPS);
    Transforms.sqrt(inverseStd, false).rdivi(1.0);
    z.subiRowVector(b.batchMean[layer]).muliRowVector(inverseStd);
    b.normalized[layer].assign(z);
    z.muliRowVector(gamma).addiRowVector(beta);
    b.batchVariance[layer].muli(rows / Math.max(1, rows - 1));
  }

  /**
   * Turns {@code delta} = dL/dy [n, out] into dL/dz in place, writes dL/dgamma and dL/dbeta, and
   * the batch statistics into the running statistics' slots of {@code gradient}.
   */
  static void backward(INDArray delta, ParameterViews params, ParameterViews gradient, BatchBuffers b, int layer) {
    writeParameterGradients(delta, gradient, b, layer);
    finishBackward(delta, params, gradient, b, layer, gradient.beta(layer), gradient.gamma(layer), b.n);
  }

  /**
   * Synchronised batch norm's backward, first half: writes this micro-batch's dL/dgamma and
   * dL/dbeta and returns them (sum dy, then sum dy x-hat per unit), to be added over the step.
   */
  static double[] backwardSums(INDArray delta, ParameterViews gradient, BatchBuffers b, int layer) {
    int out = (int) delta.size(1);
    writeParameterGradients(delta, gradient, b, layer);
    double[] local = new double[2 * out];
    System.arraycopy(NativeValues.read(gradient.beta(layer)), 0, local, 0, out);
    System.arraycopy(NativeValues.read(gradient.gamma(layer)), 0, local, out, out);
    return local;
  }

  /** Synchronised batch norm's backward, second half, with the step's {@code total} sums and row count. */
  static void backwardSynced(INDArray delta, ParameterViews params, ParameterViews gradient, BatchBuffers b, int layer,
      double[] total) {
    int out = (int) delta.size(1);
    INDArray sumDelta = Nd4j.create(java.util.Arrays.copyOfRange(total, 0, out), new long[] {1, out}, delta.dataType());
    INDArray sumDeltaXHat = Nd4j.create(java.util.Arrays.copyOfRange(total, out, 2 * out), new long[] {1, out},
        delta.dataType());
    finishBackward(delta, params, gradient, b, layer, sumDelta, sumDeltaXHat, b.globalRows[layer]);
  }

  /** dL/dbeta = sum dy and dL/dgamma = sum dy x-hat over this micro-batch. */
  private static void writeParameterGradients(INDArray delta, ParameterViews gradient, BatchBuffers b, int layer) {
    Gemm.gemm(b.ones, delta, gradient.beta(layer), false, false, 1.0, 0.0);
    Gemm.gemm(b.ones, b.scratch[layer].assign(delta).muli(b.normalized[layer]), gradient.gamma(layer), false, false,
        1.0, 0.0);
  }

  private static void finishBackward(INDArray delta, ParameterViews params, ParameterViews gradient, BatchBuffers b,
      int layer, INDArray sumDelta, INDArray sumDeltaXHat, double rows) {
    INDArray xHat = b.normalized[layer];
    // dL/dz = gamma / (N sqrt(var + eps)) (N dy - sum dy - x-hat sum(dy x-hat)), N and the sums over the (global) batch
    delta.muli(rows).subiRowVector(sumDelta).subi(b.scratch[layer].assign(xHat).muliRowVector(sumDeltaXHat));
    delta.muliRowVector(params.gamma(layer).mul(b.inverseStd[layer]).divi(rows));
    gradient.runningMean(layer).assign(b.batchMean[layer]).muli(b.n);
    gradient.runningVariance(layer).assign(b.batchVariance[layer]).muli(b.n);
  }

  /** Normalizes {@code z} in place with the running statistics. */
  static void infer(INDArray z, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVariance) {
    INDArray scale = Transforms.sqrt(runningVariance.add(LayerSpec.BATCH_NORM_EPS), false).rdivi(1.0).muli(gamma);
    z.subiRowVector(runningMean).muliRowVector(scale).addiRowVector(beta);
  }

}
