package dptrain.deploy.report;

import java.util.List;
import java.util.Optional;

/**
 * Where a run's mean step went, from its summary (compute, encode, decode and apply, measured in
 * the code path) and its steps' clock (the mean time from one step to the next within an epoch,
 * so that evaluations at epoch ends are not counted); the rest is transfer and waiting.
 */
public record StepSplit(double totalMs, double computeMs, double encodeMs, double decodeMs, double applyMs) {
  public static final String[] PARTS = {"compute", "encode", "decode", "apply", "transfer+wait"};

  /** The split, when the run finished with one (the synchronous modes measure it) and has two steps in an epoch. */
  public static Optional<StepSplit> of(RunHistory history) {
    var summary = history.summary();
    if (summary.isEmpty() || !(summary.get().number("compute_ms") > 0)) {
      return Optional.empty();
    }
    double total = meanStepMs(history.steps());
    if (!(total > 0)) {
      return Optional.empty();
    }
    JsonLine s = summary.get();
    return Optional.of(new StepSplit(total, s.number("compute_ms"), s.number("encode_ms"), s.number("decode_ms"),
        s.number("apply_ms")));
  }

  public double otherMs() {
    return Math.max(0, totalMs - computeMs - encodeMs - decodeMs - applyMs);
  }

  public double[] parts() {
    return new double[] {computeMs, encodeMs, decodeMs, applyMs, otherMs()};
  }

  /** Within epochs; over all steps when each epoch is one step (full batch). */
  static double meanStepMs(List<JsonLine> steps) {
    double within = meanStepMs(steps, true);
    return Double.isNaN(within) ? meanStepMs(steps, false) : within;
  }

  private static double meanStepMs(List<JsonLine> steps, boolean withinEpochs) {
    double sum = 0;
    int count = 0;
    for (int i = 1; i < steps.size(); i++) {
      if (!withinEpochs || steps.get(i).number("epoch") == steps.get(i - 1).number("epoch")) {
        sum += steps.get(i).number("elapsed_s") - steps.get(i - 1).number("elapsed_s");
        count++;
      }
    }
    return count == 0 ? Double.NaN : 1000 * sum / count;
  }
}
