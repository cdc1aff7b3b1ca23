package dptrain.coordinator;

import dptrain.protocol.tensor.FlatArray;

/** How a training job ended: what the command line reports and exports. */
public sealed interface TrainingOutcome {

  /**
   * The job ended: it ran every step, or early stopping ended it. The parameters are the best
   * ones under early stopping (7.1), taken after step {@code bestStep}, with their test scores.
   */
  record Finished(FlatArray parameters, long steps, double trainLoss, double testLoss, double testAccuracy,
      double samplesPerSecond, long refusedChunks, long skippedSteps, long bestStep, double validationLoss)
      implements TrainingOutcome {

    /** Without early stopping or validation: the parameters after the last step. */
    public Finished(FlatArray parameters, long steps, double trainLoss, double testLoss, double testAccuracy,
        double samplesPerSecond, long refusedChunks, long skippedSteps) {
      this(parameters, steps, trainLoss, testLoss, testAccuracy, samplesPerSecond, refusedChunks, skippedSteps, steps,
          Double.NaN);
    }
  }

  /**
   * A standby coordinator took over the singleton after the job had already finished on the
   * node before it (the run folder says so): {@code summary} is that run's result.
   */
  record FinishedElsewhere(String summary) implements TrainingOutcome {}

  /** The job stopped early; the reason says why in one line. */
  record Failed(String reason) implements TrainingOutcome {}
}
