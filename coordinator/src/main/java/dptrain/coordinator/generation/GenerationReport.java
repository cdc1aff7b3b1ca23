package dptrain.coordinator.generation;

import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.progress.RunTotals;

/** What a {@link Generation} tells the Coordinator. */
public sealed interface GenerationReport {

  /**
   * The pause after {@code afterStep} (evaluation, checkpoint) is over: the Coordinator admits
   * the joiners and answers with {@link Generation.Resume}. {@code totals}: the run's so far.
   */
  record PauseOver(long afterStep, RunTotals totals) implements GenerationReport {}

  /** Training ended (every step ran, or early stopping ended it) with this outcome. */
  record Ended(TrainingOutcome.Finished finished, RunTotals totals) implements GenerationReport {}

  /** The generation cannot go on; the reason says why in one line. */
  record Failed(String reason) implements GenerationReport {}
}
