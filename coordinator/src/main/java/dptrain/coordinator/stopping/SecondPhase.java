package dptrain.coordinator.stopping;

import dptrain.coordinator.job.EarlyStoppingSpec;
import java.util.Locale;
import java.util.Optional;

/**
 * What algorithms 7.2 and 7.3 do after 7.1 has found the best step i* (Goodfellow, Bengio and
 * Courville, ch. 7.8), as a value: the next job, on every training row (the validation rows
 * included), either from scratch for i* steps (7.2) or from the best parameters until the
 * validation loss falls below the training loss at i* (7.3). 7.1 itself runs inside the job
 * ({@link EarlyStopping}); this is the rest of early stopping, decided in the same place.
 *
 * @param fromBest start from the first phase's best parameters (7.3), else from scratch (7.2)
 * @param steps the steps to train (7.2: i*), or 0 for the job's epochs (7.3)
 * @param stopBelow 7.3: stop once the validation loss is below this; NaN for 7.2
 * @param folder the run folder's sub-folder for the second phase
 */
public record SecondPhase(String method, boolean fromBest, long steps, double stopBelow, String folder) {

  /** The second phase that follows a first phase of {@code spec} which kept step i* = {@code bestStep}, if any. */
  public static Optional<SecondPhase> after(EarlyStoppingSpec spec, long bestStep, double trainLossAtBest) {
    if (spec.stopsAtTarget()) {
      return Optional.empty(); // this is a second phase already
    }
    return switch (spec.method()) {
      case "7.2" -> Optional.of(new SecondPhase("7.2", false, bestStep, Double.NaN, "retrain-7.2"));
      case "7.3" -> Optional.of(new SecondPhase("7.3", true, 0, trainLossAtBest, "continue-7.3"));
      default -> Optional.empty();
    };
  }

  /** The line the command prints when the phase starts; {@code epochs}: the job's bound for 7.3. */
  public String announcement(int epochs) {
    return fromBest
        ? String.format(Locale.ROOT, "early stopping 7.3: going on from the best parameters on all training rows until "
            + "validation_loss < %.6f (at most %d epochs)", stopBelow, epochs)
        : "early stopping 7.2: training again from the start on all training rows for " + steps + " steps";
  }
}
