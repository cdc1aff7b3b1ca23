package dptrain.coordinator.optim;

/**
 * An update rule over one contiguous slice of the parameters, holding the state for that
 * slice only (moments, step counter), as a parameter-server shard owns it.
 * Contract: {@link #step} is called once per training step, with the slice's parameters and
 * the aggregated (mean) gradient of the step, both of the slice's length; it updates
 * {@code parameters} in place and may overwrite {@code gradient}.
 *
 * <p>Plain Java loops, not ND4J: these updates are element-wise and memory-bound, and one
 * fused pass beats ten native calls of ten passes each (measured 5-10x on a shard piece).
 */
public interface Optimizer {
  void step(float[] parameters, float[] gradient);
}
