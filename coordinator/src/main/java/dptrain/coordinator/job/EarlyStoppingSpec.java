package dptrain.coordinator.job;

/**
 * Early stopping as the job asks for it (Goodfellow, Bengio and Courville, ch. 7.8).
 *
 * @param method {@code none}; {@code 7.1}: evaluate on the validation set after every period,
 *     stop after {@code patience} evaluations without improvement, return the best parameters
 *     and their step i*; {@code 7.2}: 7.1, then train again from scratch on all training data
 *     for i* steps; {@code 7.3}: 7.1, then go on from the best parameters on all training data
 *     until the validation loss falls below the training loss at the stop
 * @param patience evaluations without improvement before 7.1 stops
 * @param targetLoss for the second phase of 7.3: stop once the validation loss is below it (NaN = off)
 */
public record EarlyStoppingSpec(String method, int patience, double targetLoss) {
  public static final EarlyStoppingSpec NONE = new EarlyStoppingSpec("none", 0, Double.NaN);
  public static final String ALLOWED = "none, 7.1, 7.2, 7.3";

  public EarlyStoppingSpec {
    if (!java.util.List.of("none", "7.1", "7.2", "7.3").contains(method)) {
      throw new IllegalArgumentException("--early-stopping must be one of " + ALLOWED + ", got '" + method + "'");
    }
    if (patience < 1 && !method.equals("none")) {
      throw new IllegalArgumentException("--patience must be a whole number >= 1, got " + patience);
    }
  }

  /** Whether the Coordinator watches the validation loss for a best step (every method but none). */
  public boolean keepsBest() {
    return !method.equals("none") && Double.isNaN(targetLoss);
  }

  /** Whether the Coordinator stops once the validation loss is below a target (7.3's second phase). */
  public boolean stopsAtTarget() {
    return !Double.isNaN(targetLoss);
  }

  /** The second phase of 7.3: no patience, a target. */
  public EarlyStoppingSpec untilBelow(double target) {
    return new EarlyStoppingSpec(method, Math.max(1, patience), target);
  }
}
