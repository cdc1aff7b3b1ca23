package dptrain.worker.model;

import dptrain.protocol.job.BatchNormPhase;

/**
 * How synchronised batch norm learns the statistics of the whole global batch: given this
 * micro-batch's sums for a layer and a phase (forward: sum z, sum z^2 per unit and the row
 * count; backward: sum dy and sum dy x-hat per unit), the sums over every micro-batch of the step.
 */
@FunctionalInterface
public interface MomentsExchange {
  double[] total(int layer, BatchNormPhase phase, double[] local);

  /** Batch norm per micro-batch: nothing to exchange. */
  MomentsExchange NONE = null;
}
