package dptrain.worker.model;

import dptrain.protocol.job.LayerSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Augmentation;
import dptrain.worker.data.Dataset;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multi-layer perceptron: dense layers, per hidden layer its units (an activation, PReLU,
 * maxout or RBF units) and optionally batch norm before them; on any dense layer's input
 * dropout, Gaussian dropout or additive noise, on its weights DropConnect; an output activation
 * and a loss. Computes the <em>sum</em> over a batch of the per-sample gradients into a flat
 * vector (so micro-batches add up to the global batch exactly), and evaluates loss and
 * accuracy. Training passes use the batch's own statistics in batch norm; evaluation uses the
 * running ones. Buffers are allocated once per batch size. Not thread-safe: one instance per worker.
 */
public final class Mlp {
  private final ParameterLayout layout;
  private final ModelSpec spec;
  private final int layers;
  private final Activation output;
  private final Loss loss;
  private final Map<Integer, BatchBuffers> buffers = new HashMap<>();
  /** Buffers of finished synchronised passes, by batch size. */
  private final Map<Integer, ArrayDeque<BatchBuffers>> spare = new HashMap<>();
  private final DataType type;
  /** Per DropConnect layer: its mask [in, out] and masked weight, refilled once per step. */
  private final INDArray[] connectionMasks;
  private final INDArray[] maskedWeights;
  private DropoutMasks connectionsDrawnFor;
  private final Augmentation augmentation;

  public Mlp(ModelSpec spec, Precision precision) {
    this(spec, precision, null);
  }

  /** With {@code augmentation} (null: none) applied to the inputs of every training pass that has masks. */
  public Mlp(ModelSpec spec, Precision precision, Augmentation augmentation) {
    this.augmentation = augmentation;
    this.spec = spec;
    this.type = precision == Precision.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    this.layout = new ParameterLayout(spec);
    this.layers = spec.denseLayers();
    this.connectionMasks = new INDArray[layers];
    this.maskedWeights = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      var dense = layout.layers().get(l);
      boolean rbf = l + 1 < layers && layout.units(l).kind() == HiddenUnits.Kind.RBF;
      if (rbf && (spec.layer(l).normalizesBatch() || spec.layer(l).dropsConnections())) {
        throw new IllegalArgumentException("an rbf layer takes neither bn nor dropconnect");
      }
      if (spec.layer(l).dropsConnections()) {
        connectionMasks[l] = Nd4j.create(type, dense.in(), dense.out());
        maskedWeights[l] = Nd4j.create(type, dense.in(), dense.out());
      }
    }
    this.output = Activation.fromName(spec.outputActivation());
    this.loss = Loss.fromName(spec.loss());
    if (!loss.fitsOutput(output)) {
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
    return spec.outputWidth();
  }

  /** Writes the summed gradient over {@code rows} into {@code gradient}; returns the summed loss. */
  public double gradient(ParameterViews params, Dataset data, int[] rows, ParameterViews gradient) {
    return gradient(params, data, rows, gradient, null);
  }

  /**
   * As above, training with dropout, noise and DropConnect drawn from {@code masks} (null: none
   * of them). Returns the summed loss of the network as trained. Batch-norm layers also write
   * their batch statistics into the running statistics' slots (see {@link BatchNorm}).
   */
  public double gradient(ParameterViews params, Dataset data, int[] rows, ParameterViews gradient, DropoutMasks masks) {
    BatchBuffers b = load(data, rows);
    startTraining(b, rows, masks);
    forward(params, b, rows, masks, true);
    double lossSum = lossAndLogitGradient(b);
    for (int l = layers - 1; l >= 0; l--) {
      backward(params, gradient, b, l, masks);
    }
    return lossSum;
  }

  /**
   * A training pass whose batch norm normalizes with the statistics of the whole global batch
   * (synchronised batch norm): it stops at each batch-norm layer, forward and backward, until it
   * is given the step's totals, so several such passes can wait side by side on one thread.
   * Every pass in flight at once must belong to one step (one parameter version, one set of
   * masks): they share this model's DropConnect weights.
   */
  public SyncedPass syncedGradient(ParameterViews params, Dataset data, int[] rows, ParameterViews gradient,
      DropoutMasks masks) {
    BatchBuffers b = spare.computeIfAbsent(rows.length, n -> new ArrayDeque<>()).poll();
    b = b != null ? b : new BatchBuffers(rows.length, spec, layout, type);
    fill(b, data, rows);
    startTraining(b, rows, masks);
    return new SyncedPass(this, params, gradient, b, rows, masks);
  }

  /** A finished pass's buffers, for the next pass of the same size. */
  void release(BatchBuffers b) {
    spare.computeIfAbsent(b.n, n -> new ArrayDeque<>()).push(b);
  }

  /** Summed loss and count of correct predictions over {@code rows}. */
  public Evaluation evaluate(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b, rows, null, false);
    double lossSum = loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, null);
    long correct = data.isClassification() ? countCorrect(b) : 0;
    return new Evaluation(lossSum, correct, b.n);
  }

  /** A parameter vector of this model's layout, as views at its precision. */
  public ParameterViews parameters(FlatArray values) {
    if (values.length() != layout.size()) {
      throw new IllegalArgumentException(values.length() + " values for a model of " + layout.size() + " parameters");
    }
    return new ParameterViews(layout, Nd4j.createFromArray(values.toDoubles()).castTo(type));
  }

  /** The outputs over {@code rows}, row-major, after the output activation (class probabilities for softmax). */
  public double[] predict(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b, rows, null, false);
    int k = outputWidth();
    double[] outputs = new double[b.n * k];
    double[] row = new double[k];
    for (int i = 0; i < b.n; i++) {
      output.applyToRow(b.logits, i * k, k, row);
      System.arraycopy(row, 0, outputs, i * k, k);
    }
    return outputs;
  }

  /** Summed loss and correct predictions over some rows. */
  public record Evaluation(double lossSum, long correct, long count) {}

  private BatchBuffers load(Dataset data, int[] rows) {
    BatchBuffers b = buffers.computeIfAbsent(rows.length, n -> new BatchBuffers(n, spec, layout, type));
    fill(b, data, rows);
    return b;
  }

  private void fill(BatchBuffers b, Dataset data, int[] rows) {
    b.loadInputs(data, rows);
    data.copyTargets(rows, b.targets, outputWidth(), type == DataType.DOUBLE);
    data.copyLabels(rows, b.labels);
  }

  /** Augments the loaded inputs and draws this step's DropConnect masks: the start of every training pass. */
  private void startTraining(BatchBuffers b, int[] rows, DropoutMasks masks) {
    if (augmentation != null && masks != null) {
      double[] x = NativeValues.read(b.inputs);
      augmentation.apply(x, rows, b.inputs.columns(), masks.seed(), masks.step());
      NativeValues.write(b.inputs, x);
    }
    if (masks != null && !masks.equals(connectionsDrawnFor)) {
      for (int l = 0; l < layers; l++) {
        if (connectionMasks[l] != null) {
          masks.fillConnections(connectionMasks[l], l, spec.layer(l).dropConnect());
        }
      }
      connectionsDrawnFor = masks;
    }
  }

  private void forward(ParameterViews params, BatchBuffers b, int[] rows, DropoutMasks masks, boolean training) {
    for (int l = 0; l < layers; l++) {
      if (!denseForward(params, b, rows, masks, l)) {
        continue;
      }
      if (normalizes(l)) {
        if (training) {
          BatchNorm.train(b.dense[l], params.gamma(l), params.beta(l), b, l);
        } else {
          BatchNorm.infer(b.dense[l], params.gamma(l), params.beta(l), params.runningMean(l), params.runningVariance(l));
        }
      }
      activate(params, b, l);
    }
    b.readLogits();
  }

  int layers() {
    return layers;
  }

  boolean normalizes(int layer) {
    return spec.layer(layer).normalizesBatch();
  }

  /**
   * Layer l up to its batch norm: the input's dropout or noise, then z = x W + b into
   * {@code b.dense[l]}. Returns false for RBF units, which complete the layer here.
   */
  boolean denseForward(ParameterViews params, BatchBuffers b, int[] rows, DropoutMasks masks, int l) {
    LayerSpec settings = spec.layer(l);
    if (masks != null && settings.masksInput()) {
      masks.fill(b.masks[l], rows, l, settings.keep(), settings.gaussian());
      b.dropped[l].assign(l == 0 ? b.inputs : b.outputs[l - 1]).muli(b.masks[l]);
      if (b.noise[l] != null) {
        masks.fillNoise(b.noise[l], rows, l, settings.noise());
        b.dropped[l].addi(b.noise[l]);
      }
    }
    INDArray input = layerInput(b, l, masks != null);
    HiddenUnits units = l + 1 < layers ? layout.units(l) : null;
    if (units != null && units.kind() == HiddenUnits.Kind.RBF) {
      RbfUnits.forward(input, params.weight(l), params.bias(l), b.dense[l], b.outputs[l]);
      return false;
    }
    Nd4j.gemm(input, weightsOf(params, l, masks != null), b.dense[l], false, false, 1.0, 0.0);
    b.dense[l].addiRowVector(params.bias(l));
    return true;
  }

  /** A hidden layer's units on its (normalized) dense output; nothing for the output layer. */
  void activate(ParameterViews params, BatchBuffers b, int l) {
    if (l + 1 == layers) {
      return;
    }
    HiddenUnits units = layout.units(l);
    if (b.preActivations[l] != null) {
      b.preActivations[l].assign(b.dense[l]);
    }
    switch (units.kind()) {
      case ELEMENTWISE -> units.activation().applyInPlace(b.dense[l]);
      case PRELU -> PiecewiseUnits.prelu(b.dense[l], params.alpha(l));
      case MAXOUT -> PiecewiseUnits.maxout(b.dense[l], b.outputs[l], units.pieces(), b.winners[l]);
      default -> throw new IllegalStateException("handled in denseForward");
    }
  }

  /** After the forward pass: the summed loss, and dL/dlogits where backward starts. */
  double lossAndLogitGradient(BatchBuffers b) {
    double lossSum = loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, b.logitGradient);
    b.writeLogitGradient();
    return lossSum;
  }

  /**
   * Layer l's gradient, from {@code b.deltas[l]} = dL/dh (for the output layer dL/dlogits);
   * leaves dL/dh of the layer below in {@code b.deltas[l - 1]}.
   */
  private void backward(ParameterViews params, ParameterViews gradient, BatchBuffers b, int l, DropoutMasks masks) {
    if (unitsBackward(params, gradient, b, l, masks)) {
      if (normalizes(l)) {
        BatchNorm.backward(b.denseDeltas[l], params, gradient, b, l);
      }
      denseBackward(params, gradient, b, l, masks);
    }
    maskInputDelta(b, l, masks);
  }

  /**
   * Backward through layer l's units into dL/dz ({@code b.denseDeltas[l]}, before batch norm's
   * backward). Returns false for RBF units, whose backward completes the layer here.
   */
  boolean unitsBackward(ParameterViews params, ParameterViews gradient, BatchBuffers b, int l, DropoutMasks masks) {
    HiddenUnits units = l + 1 < layers ? layout.units(l) : null;
    if (units != null && units.kind() == HiddenUnits.Kind.RBF) {
      RbfUnits.backward(layerInput(b, l, masks != null), params.weight(l), params.bias(l), b.dense[l], b.outputs[l],
          b.deltas[l], b.denseDeltas[l], b.ones, gradient.weight(l), gradient.bias(l), l > 0 ? b.deltas[l - 1] : null);
      return false;
    }
    if (units != null) {
      switch (units.kind()) {
        case ELEMENTWISE -> units.activation().multiplyByDerivative(b.preActivations[l], b.dense[l], b.deltas[l], b.scratch[l]);
        case PRELU -> gradient.setAlpha(l, PiecewiseUnits.preluBackward(b.preActivations[l], b.deltas[l], params.alpha(l)));
        case MAXOUT -> PiecewiseUnits.maxoutBackward(b.deltas[l], b.denseDeltas[l], b.winners[l]);
        default -> throw new IllegalStateException("handled above");
      }
    }
    return true;
  }

  /** From dL/dz of layer l: the weight and bias gradients, and dL/dh of the layer below. */
  void denseBackward(ParameterViews params, ParameterViews gradient, BatchBuffers b, int l, DropoutMasks masks) {
    INDArray delta = b.denseDeltas[l];
    Nd4j.gemm(layerInput(b, l, masks != null), delta, gradient.weight(l), true, false, 1.0, 0.0);
    if (masks != null && connectionMasks[l] != null) {
      gradient.weight(l).muli(connectionMasks[l]);
    }
    Nd4j.gemm(b.ones, delta, gradient.bias(l), false, false, 1.0, 0.0);
    if (l > 0) {
      // In training with DropConnect, the masked weight the forward pass filled for this batch.
      INDArray weight = masks != null && connectionMasks[l] != null ? maskedWeights[l] : params.weight(l);
      Nd4j.gemm(delta, weight, b.deltas[l - 1], false, true, 1.0, 0.0);
    }
  }

  /** dL/dh of the layer below, through the dropout mask on layer l's input. */
  void maskInputDelta(BatchBuffers b, int l, DropoutMasks masks) {
    if (l > 0 && masks != null && spec.masksInput(l)) {
      b.deltas[l - 1].muli(b.masks[l]);
    }
  }
  /** What dense layer l multiplies: its input, or in training with dropout or noise the changed copy. */
  private INDArray layerInput(BatchBuffers b, int l, boolean training) {
    if (training && spec.masksInput(l)) {
      return b.dropped[l];
    }
    return l == 0 ? b.inputs : b.outputs[l - 1];
  }

  /** Layer l's weight, or in training with DropConnect this step's masked weight (filled here, once per pass). */
  private INDArray weightsOf(ParameterViews params, int l, boolean training) {
    if (training && connectionMasks[l] != null) {
      return maskedWeights[l].assign(params.weight(l)).muli(connectionMasks[l]);
    }
    return params.weight(l);
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
