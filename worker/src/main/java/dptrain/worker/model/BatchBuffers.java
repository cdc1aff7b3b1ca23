package dptrain.worker.model;

import dptrain.worker.data.Dataset;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything one forward/backward pass over n samples writes, allocated once per batch size
 * and reused step after step: inputs, targets, each layer's output h and delta, scratch. The
 * logits and their gradient are also kept as Java doubles, where the loss is computed.
 */
final class BatchBuffers {
  final int n;
  final DataType type;
  final INDArray inputs;
  final double[] targets;
  final int[] labels;
  final INDArray[] outputs;
  final INDArray[] deltas;
  final INDArray[] scratch;
  /** The hidden layers' pre-activations z, kept only for activations whose derivative needs z. */
  final INDArray[] preActivations;
  final INDArray ones;
  final double[] logits;
  final double[] logitGradient;

  /** Per dense layer with dropout: its mask (m / keep) and its masked input. */
  final INDArray[] masks;
  final INDArray[] dropped;

  BatchBuffers(int n, List<Integer> widths, DataType type, boolean keepPreActivations, boolean dropout) {
    this.n = n;
    this.type = type;
    int layers = widths.size() - 1;
    int k = widths.get(layers);
    inputs = Nd4j.create(type, n, widths.get(0));
    targets = new double[n * k];
    labels = new int[n];
    outputs = new INDArray[layers];
    deltas = new INDArray[layers];
    scratch = new INDArray[layers];
    preActivations = new INDArray[layers];
    masks = new INDArray[layers];
    dropped = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      outputs[l] = Nd4j.create(type, n, widths.get(l + 1));
      deltas[l] = Nd4j.create(type, n, widths.get(l + 1));
      scratch[l] = Nd4j.create(type, n, widths.get(l + 1));
      if (keepPreActivations) {
        preActivations[l] = Nd4j.create(type, n, widths.get(l + 1));
      }
      if (dropout) {
        masks[l] = Nd4j.create(type, n, widths.get(l));
        dropped[l] = Nd4j.create(type, n, widths.get(l));
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
    INDArray last = outputs[outputs.length - 1];
    if (type == DataType.DOUBLE) {
      last.data().asNioDouble().get(0, logits, 0, logits.length);
    } else {
      var floats = last.data().asNioFloat();
      for (int i = 0; i < logits.length; i++) {
        logits[i] = floats.get(i);
      }
    }
  }

  /** Copies {@link #logitGradient} into the last layer's delta. */
  void writeLogitGradient() {
    INDArray last = deltas[deltas.length - 1];
    if (type == DataType.DOUBLE) {
      last.data().asNioDouble().put(0, logitGradient, 0, logitGradient.length);
    } else {
      var floats = last.data().asNioFloat();
      for (int i = 0; i < logitGradient.length; i++) {
        floats.put(i, (float) logitGradient[i]);
      }
    }
  }
}
