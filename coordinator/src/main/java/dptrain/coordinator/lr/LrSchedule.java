package dptrain.coordinator.lr;

/**
 * The learning rate of every step, decided by the Coordinator and sent with the step's work,
 * so that every shard applies a step with the same rate. Step k counts from 0.
 */
public interface LrSchedule {
  double at(long step);

  /** The loss of an evaluation that ended at {@code step}; only plateau schedules listen. */
  default void observeValidationLoss(long step, double loss) {}

  /** What the schedule has learned from evaluations (plateau's rate, best loss, bad count), for checkpoints. */
  default double[] state() {
    return new double[0];
  }

  /** Restores what {@link #state()} returned. */
  default void restore(double[] state) {}
}
