package dptrain.coordinator.job;

import dptrain.coordinator.checkpoint.Checkpoint;

/**
 * When the job writes checkpoints and where it starts from.
 *
 * @param everySteps write one after every this many steps (0: not by steps)
 * @param atEpochEnd write one at the end of every epoch (after its evaluation)
 * @param keep how many of the newest to keep
 * @param config the job's effective options (HOCON), stored in every checkpoint
 * @param resumeFrom the checkpoint to go on from, or null for a fresh start
 */
public record Checkpointing(long everySteps, boolean atEpochEnd, int keep, String config, Checkpoint resumeFrom) {
  public static final Checkpointing NONE = new Checkpointing(0, false, 1, "", null);

  public boolean enabled() {
    return everySteps > 0 || atEpochEnd;
  }

  /** Whether a checkpoint follows step {@code step} (counted from 0) of an epoch of {@code stepsPerEpoch}. */
  public boolean after(long step, int stepsPerEpoch) {
    return (everySteps > 0 && (step + 1) % everySteps == 0) || (atEpochEnd && (step + 1) % stepsPerEpoch == 0);
  }

  public Checkpointing resumingFrom(Checkpoint checkpoint) {
    return new Checkpointing(everySteps, atEpochEnd, keep, config, checkpoint);
  }
}
