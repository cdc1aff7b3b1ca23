package dptrain.worker.model;

import dptrain.protocol.job.BatchNormPhase;

/**
 * One micro-batch's training pass under synchronised batch norm, as a resumable computation:
 * it runs until a batch-norm layer needs the sums of every micro-batch of the step (forward:
 * sum z, sum z^2 and the rows; backward: sum dy, sum dy x-hat), says so with
 * {@link NeedsTotals}, and goes on when {@link #resume} hands it the totals. Nothing blocks:
 * the worker can hold several micro-batches of one step, each waiting at its own layer.
 */
public final class SyncedPass {
  /** Where a pass stands after {@link #start} or {@link #resume}. */
  public sealed interface Progress permits NeedsTotals, Done {}

  /** Stopped at {@code layer} in {@code phase}: this micro-batch's sums, to be added over the step. */
  public record NeedsTotals(int layer, BatchNormPhase phase, double[] local) implements Progress {}

  /** The gradient is written; the micro-batch's summed loss. */
  public record Done(double lossSum) implements Progress {}

  private final Mlp model;
  private final LayerSteps steps;
  private final ParameterViews params;
  private final ParameterViews gradient;
  private final BatchBuffers b;
  private final int[] rows;
  private final DropoutMasks masks;
  private int layer;
  private NeedsTotals waiting;
  private double lossSum;
  private boolean started;

  SyncedPass(Mlp model, ParameterViews params, ParameterViews gradient, BatchBuffers b, int[] rows, DropoutMasks masks) {
    this.model = model;
    this.steps = model.steps();
    this.params = params;
    this.gradient = gradient;
    this.b = b;
    this.rows = rows;
    this.masks = masks;
  }

  /** Runs the pass up to its first batch-norm layer. */
  public Progress start() {
    if (started) {
      throw new IllegalStateException("a pass starts once");
    }
    started = true;
    return forwardFrom(0);
  }

  /** The totals the pass waits for: it goes on to the next batch-norm layer, or to its end. */
  public Progress resume(double[] total) {
    if (waiting == null) {
      throw new IllegalStateException("the pass waits for no totals");
    }
    if (total.length != waiting.local().length) {
      throw new IllegalArgumentException(total.length + " totals for " + waiting.local().length + " sums of layer "
          + waiting.layer() + " " + waiting.phase());
    }
    NeedsTotals answered = waiting;
    waiting = null;
    if (answered.phase() == BatchNormPhase.FORWARD) {
      BatchNorm.normalizeSynced(b.dense[layer], params.gamma(layer), params.beta(layer), b, layer, total);
      steps.activate(params, b, layer);
      return forwardFrom(layer + 1);
    }
    BatchNorm.backwardSynced(b.denseDeltas[layer], params, gradient, b, layer, total);
    steps.denseBackward(params, gradient, b, layer, masks);
    steps.maskInputDelta(b, layer, masks);
    return backwardFrom(layer - 1);
  }

  /** What the pass waits for, if anything. */
  public NeedsTotals waiting() {
    return waiting;
  }

  private Progress forwardFrom(int first) {
    for (layer = first; layer < model.layers(); layer++) {
      if (!steps.denseForward(params, b, rows, masks, layer)) {
        continue;
      }
      if (steps.normalizes(layer)) {
        return stopAt(BatchNormPhase.FORWARD, BatchNorm.forwardSums(b.dense[layer], b, layer));
      }
      steps.activate(params, b, layer);
    }
    b.readLogits();
    lossSum = model.lossAndLogitGradient(b);
    return backwardFrom(model.layers() - 1);
  }

  private Progress backwardFrom(int first) {
    for (layer = first; layer >= 0; layer--) {
      if (steps.unitsBackward(params, gradient, b, layer, masks)) {
        if (steps.normalizes(layer)) {
          return stopAt(BatchNormPhase.BACKWARD, BatchNorm.backwardSums(b.denseDeltas[layer], gradient, b, layer));
        }
        steps.denseBackward(params, gradient, b, layer, masks);
      }
      steps.maskInputDelta(b, layer, masks);
    }
    model.release(b);
    return new Done(lossSum);
  }

  private Progress stopAt(BatchNormPhase phase, double[] local) {
    waiting = new NeedsTotals(layer, phase, local);
    return waiting;
  }
}
