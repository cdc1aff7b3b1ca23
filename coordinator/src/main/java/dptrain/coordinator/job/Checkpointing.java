package dptrain.coordinator.job;

import dptrain.coordinator.checkpoint.Checkpoint;
import java.time.Duration;

/**
 * When the job writes checkpoints and where it starts from. By steps and at epoch ends they
 * are where the options say; by time, one is written at the first evaluation pause after
 * {@code interval} has passed since the last one, so a long run loses at most about that much
 * work and a run of thousands of tiny epochs does not spend its time writing them. A job that
 * writes checkpoints at all also writes one after its last step, to go on from with more epochs.
 *
 * @param everySteps write one after every this many steps (0: not by steps)
 * @param atEpochEnd write one at the end of every epoch (after its evaluation)
 * @param interval write one at the first evaluation pause this long after the last (zero: not by time)
 * @param keep how many of the newest to keep
 * @param config the job's effective options (HOCON), stored in every checkpoint
 * @param resumeFrom the checkpoint to go on from, or null for a fresh start
 */
public record Checkpointing(long everySteps, boolean atEpochEnd, Duration interval, int keep, String config,
    Checkpoint resumeFrom) {
  public static final Checkpointing NONE = new Checkpointing(0, false, Duration.ZERO, 1, "", null);

  public Checkpointing {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("checkpoint interval must not be negative, got " + interval);
    }
  }

  public boolean enabled() {
    return everySteps > 0 || atEpochEnd || !interval.isZero();
  }

  /** Whether a checkpoint follows step {@code step} (counted from 0) of an epoch of {@code stepsPerEpoch}. */
  public boolean after(long step, int stepsPerEpoch) {
    return (everySteps > 0 && (step + 1) % everySteps == 0) || (atEpochEnd && (step + 1) % stepsPerEpoch == 0);
  }

  /** Whether {@code sinceLastNanos} since the last checkpoint (or the start) makes one due by time. */
  public boolean dueByTime(long sinceLastNanos) {
    return !interval.isZero() && sinceLastNanos >= interval.toNanos();
  }

  public Checkpointing resumingFrom(Checkpoint checkpoint) {
    return new Checkpointing(everySteps, atEpochEnd, interval, keep, config, checkpoint);
  }

  public Checkpointing withConfig(String effectiveConfig) {
    return new Checkpointing(everySteps, atEpochEnd, interval, keep, effectiveConfig, resumeFrom);
  }
}
