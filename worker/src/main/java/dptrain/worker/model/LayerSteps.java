package dptrain.worker.model;

import dptrain.protocol.job.LayerSpec;
import dptrain.protocol.job.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The steps one dense layer takes in a pass, forward (input masks, z = x W + b, then after batch
 * norm the units) and backward (through the units, then the weight and bias gradients and dL/dh
 * of the layer below), as {@link Mlp}'s plain passes and {@link SyncedPass} compose them. Holds
 * the DropConnect masks and masked weights, drawn once per step for every pass of that step.
 */
final class LayerSteps {
  private final ModelSpec spec;
  private final ParameterLayout layout;
  private final int layers;
  /** Per DropConnect layer: its mask [in, out] and masked weight, refilled once per step. */
  private final INDArray[] connectionMasks;
  private final INDArray[] maskedWeights;
  private DropoutMasks connectionsDrawnFor;
  /** Per layer: whether a later tied layer shares its weight, so its weight gradient adds to what that layer wrote. */
  private final boolean[] sharedLater;

  LayerSteps(ModelSpec spec, ParameterLayout layout, DataType type) {
    this.spec = spec;
    this.layout = layout;
    this.layers = spec.denseLayers();
    this.connectionMasks = new INDArray[layers];
    this.maskedWeights = new INDArray[layers];
    this.sharedLater = new boolean[layers];
    for (int l = 0; l < layers; l++) {
      var dense = layout.layers().get(l);
      sharedLater[l] = layout.sharedLater(l);
      boolean rbf = l + 1 < layers && layout.units(l).kind() == HiddenUnits.Kind.RBF;
      if (rbf && (spec.layer(l).normalizesBatch() || spec.layer(l).dropsConnections())) {
        throw new IllegalArgumentException("an rbf layer takes neither bn nor dropconnect");
      }
      if (spec.layer(l).dropsConnections()) {
        connectionMasks[l] = Nd4j.create(type, dense.in(), dense.out());
        maskedWeights[l] = Nd4j.create(type, dense.in(), dense.out());
      }
    }
  }

  /** This step's DropConnect masks, unless the last pass drew them for the same step. */
  void drawConnections(DropoutMasks masks) {
    if (masks != null && !masks.equals(connectionsDrawnFor)) {
      for (int l = 0; l < layers; l++) {
        if (connectionMasks[l] != null) {
          masks.fillConnections(connectionMasks[l], l, spec.layer(l).dropConnect());
        }
      }
      connectionsDrawnFor = masks;
    }
  }

  boolean normalizes(int layer) {
    return spec.layer(layer).normalizesBatch();
  }

  /**
   * Layer l up to its batch norm: the input's dropout or noise, then z = x W + b into
   * {@code b.dense[l]}. Returns false when the layer is complete here: RBF units, and relu or
   * no units without batch norm, applied in the bias's pass.
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
    Gemm.gemm(input, weightsOf(params, l, masks != null), b.dense[l], false, tied(l), 1.0, 0.0);
    if (!Elementwise.contiguous(b.dense[l]) || !Elementwise.contiguous(params.bias(l))) {
      b.dense[l].addiRowVector(params.bias(l));
      return true;
    }
    // Without batch norm in between, relu (or no units) completes the layer in the bias's pass.
    Activation fused = units != null && units.kind() == HiddenUnits.Kind.ELEMENTWISE ? units.activation() : null;
    boolean complete = !normalizes(l) && (units == null || Elementwise.fuses(fused));
    Elementwise.addBiasAndActivate(b.dense[l], params.bias(l), complete ? fused : null);
    return !complete;
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
    // A shared weight's gradient is the sum over its uses: the tied (later) layer writes it
    // first, in its transposed form, and the layer that owns it adds its own.
    double beta = sharedLater[l] ? 1.0 : 0.0;
    if (tied(l)) {
      Gemm.gemm(delta, layerInput(b, l, masks != null), gradient.weight(l), true, false, 1.0, 0.0);
    } else {
      Gemm.gemm(layerInput(b, l, masks != null), delta, gradient.weight(l), true, false, 1.0, beta);
    }
    if (masks != null && connectionMasks[l] != null) {
      gradient.weight(l).muli(connectionMasks[l]);
    }
    Gemm.gemm(b.ones, delta, gradient.bias(l), false, false, 1.0, 0.0);
    if (l > 0) {
      // In training with DropConnect, the masked weight the forward pass filled for this batch.
      INDArray weight = masks != null && connectionMasks[l] != null ? maskedWeights[l] : params.weight(l);
      Gemm.gemm(delta, weight, b.deltas[l - 1], false, !tied(l), 1.0, 0.0);
    }
  }

  /** Whether layer l uses an earlier layer's weight, transposed. */
  private boolean tied(int l) {
    return layout.layers().get(l).tied();
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
}
