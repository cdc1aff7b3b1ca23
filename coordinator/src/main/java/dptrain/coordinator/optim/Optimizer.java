package dptrain.coordinator.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An update rule over one contiguous slice of the parameters, holding the state for that
 * slice only (moments, step counter), as a parameter-server shard owns it.
 * Contract: {@link #step} is called once per training step, with the slice's parameters and
 * the aggregated (mean) gradient of the step; it updates {@code parameters} in place and may
 * overwrite {@code gradient}.
 */
public interface Optimizer {
  void step(INDArray parameters, INDArray gradient);
}
