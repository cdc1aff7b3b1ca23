package dptrain.worker.model;

import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;
import dptrain.protocol.tensor.Precision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multi-layer perceptron: dense layers, an activation per hidden layer, inverted dropout on
 * any dense layer's input, an output activation and a loss. Computes the <em>sum</em> over a batch of the per-sample gradients into a flat vector
 * (so micro-batches add up to the global batch exactly), and evaluates loss and accuracy.
 * Buffers are allocated once per batch size. Not thread-safe: one instance per worker.
 */
public final class Mlp {
  private final ParameterLayout layout;
  private final List<Integer> widths;
  private final List<Activation> hidden = new ArrayList<>();
  private final ModelSpec spec;
  private final boolean keepsPreActivations;
  private final boolean masksInputs;
  private final Activation output;
  private final Loss loss;
  private final Map<Integer, BatchBuffers> buffers = new HashMap<>();
  private final DataType type;

  public Mlp(ModelSpec spec, Precision precision) {
    this.widths = spec.widths();
    this.type = precision == Precision.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    this.layout = new ParameterLayout(widths);
    for (int l = 0; l + 2 < widths.size(); l++) {
      Activation activation = Activation.fromName(spec.activationOf(l));
      if (!activation.isHiddenCapable()) {
        throw new IllegalArgumentException("activation '" + activation.cliName() + "' cannot be used in hidden layers");
      }
      hidden.add(activation);
    }
    this.spec = spec;
    this.keepsPreActivations = hidden.stream().anyMatch(Activation::needsPreActivation);
    this.masksInputs = java.util.stream.IntStream.range(0, widths.size() - 1).anyMatch(spec::masksInput);
    this.output = Activation.fromName(spec.outputActivation());
    this.loss = Loss.fromName(spec.loss());
    if (loss.fusedOutput() != null && !loss.fusedOutput().equals(output)) {
      throw new IllegalArgumentException("loss '" + loss.cliName() + "' is fused with the "
          + loss.fusedOutput().cliName() + " output (use --output " + loss.fusedOutput().cliName() + ")");
    }
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** A zeroed parameter (or gradient) vector of this model's layout and precision. */
  public ParameterViews allocate() {
    return ParameterViews.allocate(layout, type);
  }

  public int outputWidth() {
    return widths.get(widths.size() - 1);
  }

  /** Writes the summed gradient over {@code rows} into {@code gradient}; returns the summed loss. */
  public double gradient(ParameterViews params, Dataset data, int[] rows, ParameterViews gradient) {
    return gradient(params, data, rows, gradient, null);
  }

  /**
   * As above, training with dropout: the masks of {@code masks} (null: no dropout). Returns the
   * summed loss of the dropped-out network.
   */
  public double gradient(ParameterViews params, Dataset data, int[] rows, ParameterViews gradient, DropoutMasks masks) {
    BatchBuffers b = load(data, rows);
    forward(params, b, masks == null ? null : rows, masks);
    double lossSum = loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, b.logitGradient);
    int last = widths.size() - 2;
    b.writeLogitGradient();
    for (int l = last; l >= 0; l--) {
      INDArray input = layerInput(b, l, masks != null);
      Nd4j.gemm(input, b.deltas[l], gradient.weight(l), true, false, 1.0, 0.0);
      Nd4j.gemm(b.ones, b.deltas[l], gradient.bias(l), false, false, 1.0, 0.0);
      if (l > 0) {
        Nd4j.gemm(b.deltas[l], params.weight(l), b.deltas[l - 1], false, true, 1.0, 0.0);
        if (masks != null && spec.masksInput(l)) {
          b.deltas[l - 1].muli(b.masks[l]);
        }
        hidden.get(l - 1).multiplyByDerivative(b.preActivations[l - 1], b.outputs[l - 1], b.deltas[l - 1], b.scratch[l - 1]);
      }
    }
    return lossSum;
  }

  /** Summed loss and count of correct predictions over {@code rows}. */
  public Evaluation evaluate(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b, null, null);
    double lossSum = loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, null);
    long correct = data.isClassification() ? countCorrect(b) : 0;
    return new Evaluation(lossSum, correct, b.n);
  }

  /** Summed loss and correct predictions over some rows. */
  public record Evaluation(double lossSum, long correct, long count) {}

  private BatchBuffers load(Dataset data, int[] rows) {
    BatchBuffers b = buffers.computeIfAbsent(rows.length, n -> new BatchBuffers(n, widths, type, keepsPreActivations, masksInputs));
    b.loadInputs(data, rows);
    data.copyTargets(rows, b.targets, outputWidth());
    data.copyLabels(rows, b.labels);
    return b;
  }

  /** Forward; with {@code masks}, each dense layer with (Gaussian) dropout sees its input times the mask. */
  private void forward(ParameterViews params, BatchBuffers b, int[] rows, DropoutMasks masks) {
    int layers = widths.size() - 1;
    for (int l = 0; l < layers; l++) {
      boolean drop = masks != null && spec.masksInput(l);
      if (drop) {
        masks.fill(b.masks[l], rows, l, spec.keep().get(l), spec.gaussian().get(l));
        b.dropped[l].assign(l == 0 ? b.inputs : b.outputs[l - 1]).muli(b.masks[l]);
      }
      INDArray input = layerInput(b, l, masks != null);
      Nd4j.gemm(input, params.weight(l), b.outputs[l], false, false, 1.0, 0.0);
      b.outputs[l].addiRowVector(params.bias(l));
      if (l + 1 < layers) {
        if (b.preActivations[l] != null) {
          b.preActivations[l].assign(b.outputs[l]);
        }
        hidden.get(l).applyInPlace(b.outputs[l]);
      }
    }
    b.readLogits();
  }

  /** What dense layer l multiplies: its input, or with dropout the masked copy. */
  private INDArray layerInput(BatchBuffers b, int l, boolean training) {
    if (training && spec.masksInput(l)) {
      return b.dropped[l];
    }
    return l == 0 ? b.inputs : b.outputs[l - 1];
  }

  private long countCorrect(BatchBuffers b) {
    int k = outputWidth();
    long correct = 0;
    double[] p = new double[k];
    for (int i = 0; i < b.n; i++) {
      int predicted;
      if (k == 1) {
        output.applyToRow(b.logits, i, 1, p);
        double threshold = output.decisionThreshold();
        predicted = p[0] >= threshold ? 1 : 0;
      } else {
        predicted = 0;
        for (int j = 1; j < k; j++) {
          if (b.logits[i * k + j] > b.logits[i * k + predicted]) {
            predicted = j;
          }
        }
      }
      if (predicted == b.labels[i]) {
        correct++;
      }
    }
    return correct;
  }
}
