package dptrain.coordinator.lr;

/**
 * The learning rate of every step, decided by the Coordinator and sent with the step's work,
 * so that every shard applies a step with the same rate. Step k counts from 0.
 */
public interface LrSchedule {
  double at(long step);

  /** The loss of an evaluation that ended at {@code step}; only plateau schedules listen. */
  default void observeValidationLoss(long step, double loss) {}
}
