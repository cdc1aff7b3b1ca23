package dptrain.worker.model;

import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;
import dptrain.protocol.tensor.Precision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multi-layer perceptron: dense layers, one hidden activation, an output activation and a
 * loss. Computes the <em>sum</em> over a batch of the per-sample gradients into a flat vector
 * (so micro-batches add up to the global batch exactly), and evaluates loss and accuracy.
 * Buffers are allocated once per batch size. Not thread-safe: one instance per worker.
 */
public final class Mlp {
  private final ParameterLayout layout;
  private final List<Integer> widths;
  private final Activation hidden;
  private final Activation output;
  private final Loss loss;
  private final Map<Integer, BatchBuffers> buffers = new HashMap<>();
  private final DataType type;

  public Mlp(ModelSpec spec, Precision precision) {
    this.widths = spec.widths();
    this.type = precision == Precision.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    this.layout = new ParameterLayout(widths);
    this.hidden = Activation.fromName(spec.hiddenActivation());
    this.output = Activation.fromName(spec.outputActivation());
    this.loss = Loss.fromName(spec.loss());
    if (!hidden.isHiddenCapable()) {
      throw new IllegalArgumentException("activation '" + hidden.cliName() + "' cannot be used in hidden layers");
    }
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
    BatchBuffers b = load(data, rows);
    forward(params, b);
    double lossSum = loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, b.logitGradient);
    int last = widths.size() - 2;
    b.writeLogitGradient();
    for (int l = last; l >= 0; l--) {
      INDArray input = l == 0 ? b.inputs : b.outputs[l - 1];
      Nd4j.gemm(input, b.deltas[l], gradient.weight(l), true, false, 1.0, 0.0);
      Nd4j.gemm(b.ones, b.deltas[l], gradient.bias(l), false, false, 1.0, 0.0);
      if (l > 0) {
        Nd4j.gemm(b.deltas[l], params.weight(l), b.deltas[l - 1], false, true, 1.0, 0.0);
        hidden.multiplyByDerivative(b.preActivations[l - 1], b.outputs[l - 1], b.deltas[l - 1], b.scratch[l - 1]);
      }
    }
    return lossSum;
  }

  /** Summed loss and count of correct predictions over {@code rows}. */
  public Evaluation evaluate(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b);
    double lossSum = loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, null);
    long correct = data.isClassification() ? countCorrect(b) : 0;
    return new Evaluation(lossSum, correct, b.n);
  }

  /** Summed loss and correct predictions over some rows. */
  public record Evaluation(double lossSum, long correct, long count) {}

  private BatchBuffers load(Dataset data, int[] rows) {
    BatchBuffers b = buffers.computeIfAbsent(rows.length, n -> new BatchBuffers(n, widths, type, hidden.needsPreActivation()));
    b.loadInputs(data, rows);
    data.copyTargets(rows, b.targets, outputWidth());
    data.copyLabels(rows, b.labels);
    return b;
  }

  private void forward(ParameterViews params, BatchBuffers b) {
    INDArray input = b.inputs;
    int layers = widths.size() - 1;
    for (int l = 0; l < layers; l++) {
      Nd4j.gemm(input, params.weight(l), b.outputs[l], false, false, 1.0, 0.0);
      b.outputs[l].addiRowVector(params.bias(l));
      if (l + 1 < layers) {
        if (b.preActivations[l] != null) {
          b.preActivations[l].assign(b.outputs[l]);
        }
        hidden.applyInPlace(b.outputs[l]);
      }
      input = b.outputs[l];
    }
    b.readLogits();
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
