package dptrain.worker.model;

import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Augmentation;
import dptrain.worker.data.Dataset;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multi-layer perceptron: dense layers, per hidden layer its units (an activation, PReLU,
 * maxout or RBF units) and optionally batch norm before them; on any dense layer's input
 * dropout, Gaussian dropout or additive noise, on its weights DropConnect; an output activation
 * and a loss. Computes the <em>sum</em> over a batch of the per-sample gradients into a flat
 * vector (so micro-batches add up to the global batch exactly), and evaluates loss and
 * accuracy. Training passes use the batch's own statistics in batch norm; evaluation uses the
 * running ones. A multitask network's output layer is its heads side by side ({@link OutputHeads}).
 * Buffers are allocated once per batch size. Not thread-safe: one instance per thread (a worker's compute lanes each have their own).
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
  /** The steps of one layer that every pass is made of. */
  private final LayerSteps steps;
  private final Augmentation augmentation;
  /** A multitask network's heads, or null for one loss. */
  private final OutputHeads heads;

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
    this.steps = new LayerSteps(spec, layout, type);
    this.heads = spec.isMultitask() ? new OutputHeads(spec.heads()) : null;
    this.output = heads != null ? null : Activation.fromName(spec.outputActivation());
    this.loss = heads != null ? null : Loss.fromName(spec.loss());
    if (heads == null && !loss.fitsOutput(output)) {
      throw new IllegalArgumentException("loss '" + loss.cliName() + "' is fused with the "
          + loss.fusedOutput().cliName() + " output (use --output " + loss.fusedOutput().cliName() + ")");
    }
  }

  public ModelSpec spec() {
    return spec;
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
    return layout.copies() == 2 ? PairPasses.gradient(this, params, data, rows, gradient, masks)
        : networkGradient(params, data, rows, gradient, masks);
  }

  /** One network's training pass (a model pair's passes each go through one network's views). */
  double networkGradient(ParameterViews params, Dataset data, int[] rows, ParameterViews gradient, DropoutMasks masks) {
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
    return layout.copies() == 2 ? PairPasses.evaluate(this, params, data, rows) : networkEvaluate(params, data, rows);
  }

  Evaluation networkEvaluate(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b, rows, null, false);
    double lossSum = heads != null ? heads.loss(b.logits, b.targets, b.n, null, 0)
        : loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, null);
    long correct = reportsAccuracy(data) ? countCorrect(b) : 0;
    return new Evaluation(lossSum, correct, b.n);
  }

  /** Whether evaluating on {@code data} scores an accuracy: labelled data, or a multitask network with a class head. */
  public boolean reportsAccuracy(Dataset data) {
    return heads != null ? heads.hasClassHead() : data.isClassification();
  }

  /** A multitask network's unweighted loss per head, summed over {@code rows} (a single-task model: its one loss). */
  public double[] headLosses(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b, rows, null, false);
    return heads != null ? heads.headLosses(b.logits, b.targets, b.n)
        : new double[] {loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, null)};
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
    return layout.copies() == 2 ? PairPasses.predict(this, params, data, rows) : networkPredict(params, data, rows);
  }

  double[] networkPredict(ParameterViews params, Dataset data, int[] rows) {
    BatchBuffers b = load(data, rows);
    forward(params, b, rows, null, false);
    int k = outputWidth();
    double[] outputs = new double[b.n * k];
    double[] row = new double[k];
    for (int i = 0; i < b.n; i++) {
      if (heads != null) {
        heads.outputs(b.logits, i, row);
      } else {
        output.applyToRow(b.logits, i * k, k, row);
      }
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
    if (!data.hasRowWeights()) {
      b.rowWeights = null;
    } else {
      b.rowWeights = b.rowWeights != null ? b.rowWeights : new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        b.rowWeights[i] = data.rowWeight(rows[i]);
      }
    }
    if (heads != null) {
      heads.copyTargets(data, rows, b.targets, type == DataType.DOUBLE);
      heads.copyLabels(data, rows, b.labels);
      return;
    }
    data.copyTargets(rows, b.targets, outputWidth(), type == DataType.DOUBLE);
    data.copyLabels(rows, b.labels);
  }

  /** Augments the loaded inputs, adds target noise and draws this step's DropConnect masks: the start of every training pass. */
  private void startTraining(BatchBuffers b, int[] rows, DropoutMasks masks) {
    if (masks != null && spec.targetNoise() > 0) {
      masks.addTargetNoise(b.targets, rows, outputWidth(), spec.targetNoise());
    }
    if (augmentation != null && masks != null) {
      double[] x = NativeValues.read(b.inputs);
      augmentation.apply(x, rows, b.inputs.columns(), masks.seed(), masks.step());
      NativeValues.write(b.inputs, x);
    }
    steps.drawConnections(masks);
  }

  private void forward(ParameterViews params, BatchBuffers b, int[] rows, DropoutMasks masks, boolean training) {
    for (int l = 0; l < layers; l++) {
      if (!steps.denseForward(params, b, rows, masks, l)) {
        continue;
      }
      if (steps.normalizes(l)) {
        if (training) {
          BatchNorm.train(b.dense[l], params.gamma(l), params.beta(l), b, l);
        } else {
          BatchNorm.infer(b.dense[l], params.gamma(l), params.beta(l), params.runningMean(l), params.runningVariance(l));
        }
      }
      steps.activate(params, b, l);
    }
    b.readLogits();
  }

  int layers() {
    return layers;
  }

  LayerSteps steps() {
    return steps;
  }

  /** After the forward pass: the summed (training) loss, with smoothed ce targets if asked, and dL/dlogits where backward starts. */
  double lossAndLogitGradient(BatchBuffers b) {
    double lossSum = heads != null ? heads.loss(b.logits, b.targets, b.n, b.logitGradient, spec.labelSmoothing())
        : loss.evaluate(b.logits, b.targets, b.n, outputWidth(), output, b.logitGradient, spec.labelSmoothing(), b.rowWeights);
    b.writeLogitGradient();
    return lossSum;
  }

  /**
   * Layer l's gradient, from {@code b.deltas[l]} = dL/dh (for the output layer dL/dlogits);
   * leaves dL/dh of the layer below in {@code b.deltas[l - 1]}.
   */
  private void backward(ParameterViews params, ParameterViews gradient, BatchBuffers b, int l, DropoutMasks masks) {
    if (steps.unitsBackward(params, gradient, b, l, masks)) {
      if (steps.normalizes(l)) {
        BatchNorm.backward(b.denseDeltas[l], params, gradient, b, l);
      }
      steps.denseBackward(params, gradient, b, l, masks);
    }
    steps.maskInputDelta(b, l, masks);
  }

  private long countCorrect(BatchBuffers b) {
    if (heads != null) {
      return heads.countCorrect(b.logits, b.labels, b.n);
    }
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
