package dptrain.coordinator.generation;

import dptrain.coordinator.step.PauseRule;
import java.util.function.LongSupplier;

/**
 * Whether an evaluation pause writes a checkpoint: where the step rules of {@link PauseRule}
 * put one (every N steps, epoch ends), when the job's interval has passed since the last one
 * (or since this generation started), and after the job's last step. Nothing is written
 * without a run folder or when the job asks for no checkpoints.
 */
final class CheckpointPolicy {
  private final PauseRule pauses;
  private final LongSupplier nanoTime;
  private long lastNanos;

  CheckpointPolicy(PauseRule pauses) {
    this(pauses, System::nanoTime);
  }

  /** With the clock given (tests: manual time). */
  CheckpointPolicy(PauseRule pauses, LongSupplier nanoTime) {
    this.pauses = pauses;
    this.nanoTime = nanoTime;
    this.lastNanos = nanoTime.getAsLong();
  }

  boolean dueAfterEvaluation(long step, boolean lastStep) {
    var checkpointing = pauses.checkpointing();
    if (!pauses.writesCheckpoints() || !checkpointing.enabled()) {
      return false;
    }
    return lastStep || pauses.checkpointAfter(step) || checkpointing.dueByTime(nanoTime.getAsLong() - lastNanos);
  }

  void written() {
    lastNanos = nanoTime.getAsLong();
  }
}
