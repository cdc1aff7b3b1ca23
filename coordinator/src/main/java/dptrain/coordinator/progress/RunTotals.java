package dptrain.coordinator.progress;

import dptrain.protocol.StepTimes;
import java.util.ArrayList;
import java.util.List;

/**
 * What the run's summary line counts of the applied steps over every generation of shards:
 * micro-batches dropped (backup workers), the staleness of async updates, the gradient bytes
 * the shards received, the largest lead of an async worker over the slowest, and where the
 * steps' time went (summed {@link StepTimes}). Immutable; each step gives the next value. A generation hands its totals
 * to the Coordinator at every pause and at its end; a roll-back keeps those of the last pause.
 */
public record RunTotals(long droppedMicroBatches, long stalenessSum, long gradientBytes, long maxLead, StepTimes times) {
  public static final RunTotals NONE = new RunTotals(0, 0, 0, 0, StepTimes.NONE);

  /**
   * A step applied, and where its time went; {@code dropped}, {@code staleness} and {@code lead}
   * are negative when they do not apply.
   */
  public RunTotals afterStep(int dropped, long staleness, long bytes, long lead, StepTimes stepTimes) {
    return new RunTotals(droppedMicroBatches + Math.max(0, dropped), stalenessSum + Math.max(0, staleness),
        gradientBytes + bytes, Math.max(maxLead, lead), times.plus(stepTimes));
  }

  /** How the run went, for its summary line. */
  public record Summary(String mode, long steps, long refusedMessages, int rollbacks, int workersLeft, String compression,
      int workers, boolean asynchronous) {}

  /** The summary line's names and values. */
  public Object[] summaryFields(Summary s) {
    long steps = Math.max(1, s.steps());
    List<Object> fields = new ArrayList<>(List.of("mode", s.mode(), "steps", s.steps(), "dropped_micro_batches",
        droppedMicroBatches, "refused_messages", s.refusedMessages(), "rollbacks", s.rollbacks(), "workers_left", s.workersLeft(),
        "compression", s.compression(), "gradient_bytes_per_step", gradientBytes / steps,
        "gradient_bytes_per_step_per_worker", gradientBytes / steps / Math.max(1, s.workers())));
    // The mean step's split, as measured in the code path (StepTimes); the rest of a step's wall
    // time is transfer and waiting.
    fields.addAll(List.of("compute_ms", millis(times.computeNanos(), steps), "encode_ms", millis(times.encodeNanos(), steps),
        "decode_ms", millis(times.decodeNanos(), steps), "apply_ms", millis(times.applyNanos(), steps)));
    if (s.asynchronous()) {
      fields.addAll(List.of("mean_staleness", (double) stalenessSum / steps, "max_lead", maxLead));
    }
    return fields.toArray();
  }

  private static double millis(long nanos, long steps) {
    return Math.round(nanos / 1e3 / steps) / 1e3;
  }
}
