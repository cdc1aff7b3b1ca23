package dptrain.coordinator;

import dptrain.protocol.tensor.FlatArray;

/** How a training job ended: what the command line reports and exports. */
public sealed interface TrainingOutcome {

  /** The job ran every step. */
  record Finished(FlatArray parameters, long steps, double trainLoss, double testLoss, double testAccuracy,
      double samplesPerSecond, long refusedChunks, long skippedSteps) implements TrainingOutcome {}

  /** The job stopped early; the reason says why in one line. */
  record Failed(String reason) implements TrainingOutcome {}
}
