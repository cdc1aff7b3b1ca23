package dptrain.ps.optim;

import dptrain.protocol.tensor.FlatArray;

/**
 * An update rule over one contiguous slice of the parameters, holding the state for that
 * slice only (moments, step counter), as a parameter-server shard owns it.
 * Contract: {@link #step} is called once per applied training step with the slice's
 * parameters, the step's gradient (the mean over the batch, after the shard's gradient rules)
 * and the step's learning rate from the schedule; it updates {@code parameters} in place and
 * may overwrite {@code gradient}. Arithmetic is in double; the arrays store at the job's precision.
 *
 * <p>Plain Java loops, not ND4J: these updates are element-wise and memory-bound, and one
 * fused pass beats ten native calls of ten passes each (measured 5-10x on a shard piece).
 */
public interface Optimizer {
  void step(FlatArray parameters, FlatArray gradient, double lr);

  /**
   * Whether the workers should take the next gradient somewhere other than at the parameters
   * (the look-ahead methods, Goodfellow et al. alg. 8.3 and 8.7).
   */
  default boolean looksAhead() {
    return false;
  }

  /** Writes the point the next gradient is taken at; called only when {@link #looksAhead()}. */
  default void lookAheadPoint(FlatArray parameters, FlatArray point) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not look ahead");
  }

  /**
   * The optimizer's state arrays for this slice (moments, accumulators, velocities), in an order
   * fixed by its options; checkpoints copy them out and back in place.
   */
  default java.util.List<FlatArray> state() {
    return java.util.List.of();
  }

  /** Its scalar state (step counters and the like), in a fixed order. */
  default double[] counters() {
    return new double[0];
  }

  /** Restores what {@link #counters()} returned. */
  default void restoreCounters(double[] values) {}
}
