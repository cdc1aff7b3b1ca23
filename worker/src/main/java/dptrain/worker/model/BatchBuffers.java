package dptrain.worker.model;

import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything one forward/backward pass over n samples writes, allocated once per batch size
 * and reused step after step: inputs, targets, each layer's dense output, unit output h and
 * their deltas, scratch, and what dropout, noise, DropConnect, batch norm and maxout keep for
 * the backward pass. The logits and their gradient are also kept as Java doubles, where the
 * loss is computed.
 */
final class BatchBuffers {
  final int n;
  final DataType type;
  final INDArray inputs;
  final double[] targets;
  final int[] labels;
  /** The rows' weights in the training loss (boosting), or null when the rows are not weighted. */
  double[] rowWeights;
  /** Per layer: x W + b [n, out] (after batch norm, when the layer has it). */
  final INDArray[] dense;
  /** Per layer: the units' output h [n, units]; the same array as {@link #dense} unless maxout or RBF. */
  final INDArray[] outputs;
  /** Per layer: dL/dh [n, units]. */
  final INDArray[] deltas;
  /** Per layer: dL/d dense [n, out]; the same array as {@link #deltas} unless maxout or RBF. */
  final INDArray[] denseDeltas;
  final INDArray[] scratch;
  /** The dense output before the units, kept only for units whose derivative needs it. */
  final INDArray[] preActivations;
  final INDArray ones;
  final double[] logits;
  final double[] logitGradient;

  /** Per dense layer whose input changes in training: its mask (m / keep) and its masked input, and additive noise. */
  final INDArray[] masks;
  final INDArray[] dropped;
  final INDArray[] noise;
  /** Per batch-norm layer: x-hat, 1 / sqrt(var + eps), the batch mean and (unbiased) variance. */
  final INDArray[] normalized;
  final INDArray[] inverseStd;
  final INDArray[] batchMean;
  final INDArray[] batchVariance;
  /** Per synchronised batch-norm layer: the rows of the whole global batch. */
  final double[] globalRows;
  /** Per maxout layer: which piece won, per (row, unit). */
  final int[][] winners;

  BatchBuffers(int n, ModelSpec spec, ParameterLayout layout, DataType type) {
    this.n = n;
    this.type = type;
    var widths = spec.widths();
    int layers = widths.size() - 1;
    int k = widths.get(layers);
    inputs = Nd4j.create(type, n, widths.get(0));
    targets = new double[n * k];
    labels = new int[n];
    dense = new INDArray[layers];
    outputs = new INDArray[layers];
    deltas = new INDArray[layers];
    denseDeltas = new INDArray[layers];
    scratch = new INDArray[layers];
    preActivations = new INDArray[layers];
    masks = new INDArray[layers];
    dropped = new INDArray[layers];
    noise = new INDArray[layers];
    normalized = new INDArray[layers];
    inverseStd = new INDArray[layers];
    batchMean = new INDArray[layers];
    batchVariance = new INDArray[layers];
    winners = new int[layers][];
    globalRows = new double[layers];
    for (int l = 0; l < layers; l++) {
      int units = widths.get(l + 1);
      int out = layout.layers().get(l).out();
      HiddenUnits kind = l + 1 < layers ? layout.units(l) : null;
      boolean reshapes = kind != null && (kind.kind() == HiddenUnits.Kind.MAXOUT || kind.kind() == HiddenUnits.Kind.RBF);
      dense[l] = Nd4j.create(type, n, out);
      outputs[l] = reshapes ? Nd4j.create(type, n, units) : dense[l];
      denseDeltas[l] = Nd4j.create(type, n, out);
      deltas[l] = reshapes ? Nd4j.create(type, n, units) : denseDeltas[l];
      scratch[l] = Nd4j.create(type, n, out);
      if (kind != null && !reshapes && kind.needsPreActivation()) {
        preActivations[l] = Nd4j.create(type, n, out);
      }
      if (kind != null && kind.kind() == HiddenUnits.Kind.MAXOUT) {
        winners[l] = new int[n * units];
      }
      if (spec.masksInput(l)) {
        masks[l] = Nd4j.create(type, n, widths.get(l));
        dropped[l] = Nd4j.create(type, n, widths.get(l));
        if (spec.layer(l).noise() > 0) {
          noise[l] = Nd4j.create(type, n, widths.get(l));
        }
      }
      if (spec.layer(l).normalizesBatch()) {
        normalized[l] = Nd4j.create(type, n, out);
        inverseStd[l] = Nd4j.create(type, 1, out);
        batchMean[l] = Nd4j.create(type, 1, out);
        batchVariance[l] = Nd4j.create(type, 1, out);
      }
    }
    ones = Nd4j.ones(type, 1, n);
    logits = new double[n * k];
    logitGradient = new double[n * k];
  }

  void loadInputs(Dataset data, int[] rows) {
    if (type == DataType.DOUBLE) {
      data.copyInputs(rows, inputs.data().asNioDouble());
    } else {
      data.copyInputs(rows, inputs.data().asNioFloat());
    }
  }

  /** Copies the last layer's output into {@link #logits}. */
  void readLogits() {
    NativeValues.read(outputs[outputs.length - 1], logits);
  }

  /** Copies {@link #logitGradient} into the last layer's delta. */
  void writeLogitGradient() {
    NativeValues.write(deltas[deltas.length - 1], logitGradient);
  }
}
