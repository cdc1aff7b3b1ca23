package dptrain.worker.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything one forward/backward pass over n samples writes, allocated once per batch size
 * and reused step after step: inputs, targets, each layer's output h and delta, scratch.
 */
final class BatchBuffers {
  final int n;
  final INDArray inputs;
  final float[] targets;
  final int[] labels;
  final INDArray[] outputs;
  final INDArray[] deltas;
  final INDArray[] scratch;
  final INDArray ones;
  final float[] logits;
  final float[] logitGradient;

  BatchBuffers(int n, List<Integer> widths) {
    this.n = n;
    int layers = widths.size() - 1;
    int k = widths.get(layers);
    inputs = Nd4j.create(DataType.FLOAT, n, widths.get(0));
    targets = new float[n * k];
    labels = new int[n];
    outputs = new INDArray[layers];
    deltas = new INDArray[layers];
    scratch = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      outputs[l] = Nd4j.create(DataType.FLOAT, n, widths.get(l + 1));
      deltas[l] = Nd4j.create(DataType.FLOAT, n, widths.get(l + 1));
      scratch[l] = Nd4j.create(DataType.FLOAT, n, widths.get(l + 1));
    }
    ones = Nd4j.ones(DataType.FLOAT, 1, n);
    logits = new float[n * k];
    logitGradient = new float[n * k];
  }
}
