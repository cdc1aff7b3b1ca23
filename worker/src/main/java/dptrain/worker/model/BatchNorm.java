package dptrain.worker.model;

import dptrain.protocol.job.BatchNormPhase;
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
    Nd4j.gemm(b.ones, z, mean, false, false, 1.0 / n, 0.0);
    z.subiRowVector(mean);
    INDArray squares = b.scratch[layer].assign(z).muli(z);
    Nd4j.gemm(b.ones, squares, variance, false, false, 1.0 / n, 0.0);
    inverseStd.assign(variance).addi(LayerSpec.BATCH_NORM_EPS);
    Transforms.sqrt(inverseStd, false).rdivi(1.0);
    z.muliRowVector(inverseStd);
    b.normalized[layer].assign(z);
    z.muliRowVector(gamma).addiRowVector(beta);
    variance.muli((double) n / Math.max(1, n - 1)); // unbiased, for the running variance
  }

  /**
   * Synchronised batch norm's forward: the statistics of every micro-batch of the step, through
   * {@code exchange}; writes the global mean and unbiased variance for the running statistics.
   */
  static void trainSynced(INDArray z, INDArray gamma, INDArray beta, BatchBuffers b, int layer, MomentsExchange exchange) {
    int out = (int) z.size(1);
    INDArray scratch = b.scratch[layer];
    Nd4j.gemm(b.ones, z, b.batchMean[layer], false, false, 1.0, 0.0);
    Nd4j.gemm(b.ones, scratch.assign(z).muli(z), b.batchVariance[layer], false, false, 1.0, 0.0);
    double[] local = new double[2 * out + 1];
    System.arraycopy(NativeValues.read(b.batchMean[layer]), 0, local, 0, out);
    System.arraycopy(NativeValues.read(b.batchVariance[layer]), 0, local, out, out);
    local[2 * out] = b.n;
    double[] total = exchange.total(layer, BatchNormPhase.FORWARD, local);
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
   * the batch statistics into the running statistics' slots of {@code gradient}. With an
   * {@code exchange} (synchronised), the sums of dy and dy x-hat are the global batch's.
   */
  static void backward(INDArray delta, ParameterViews params, ParameterViews gradient, BatchBuffers b, int layer,
      MomentsExchange exchange) {
    int out = (int) delta.size(1);
    INDArray gradBeta = gradient.beta(layer);
    INDArray gradGamma = gradient.gamma(layer);
    INDArray xHat = b.normalized[layer];
    INDArray scratch = b.scratch[layer];
    Nd4j.gemm(b.ones, delta, gradBeta, false, false, 1.0, 0.0);
    Nd4j.gemm(b.ones, scratch.assign(delta).muli(xHat), gradGamma, false, false, 1.0, 0.0);
    INDArray sumDelta = gradBeta;
    INDArray sumDeltaXHat = gradGamma;
    double rows = b.n;
    if (exchange != null) {
      double[] local = new double[2 * out];
      System.arraycopy(NativeValues.read(gradBeta), 0, local, 0, out);
      System.arraycopy(NativeValues.read(gradGamma), 0, local, out, out);
      double[] total = exchange.total(layer, BatchNormPhase.BACKWARD, local);
      sumDelta = Nd4j.create(java.util.Arrays.copyOfRange(total, 0, out), new long[] {1, out}, delta.dataType());
      sumDeltaXHat = Nd4j.create(java.util.Arrays.copyOfRange(total, out, 2 * out), new long[] {1, out}, delta.dataType());
      rows = b.globalRows[layer];
    }
    // dL/dz = gamma / (N sqrt(var + eps)) (N dy - sum dy - x-hat sum(dy x-hat)), N and the sums over the (global) batch
    delta.muli(rows).subiRowVector(sumDelta).subi(scratch.assign(xHat).muliRowVector(sumDeltaXHat));
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
