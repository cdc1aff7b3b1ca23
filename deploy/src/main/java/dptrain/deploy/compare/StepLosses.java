package dptrain.deploy.compare;

import dptrain.deploy.report.RunHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the per-step training losses back from a run folder's metrics.jsonl. */
final class StepLosses {
  private StepLosses() {}

  /** The moving average over the last {@code window} steps at each step (fewer at the start). */
  static double[] smooth(double[] losses, int window) {
    double[] out = new double[losses.length];
    double sum = 0;
    int count = 0;
    for (int k = 0; k < losses.length; k++) {
      sum += losses[k];
      count++;
      if (count > window) {
        sum -= losses[k - window];
        count--;
      }
      out[k] = sum / count;
    }
    return out;
  }

  /** The training loss of each step, by step number (NaN where a step has none). */
  static double[] read(Path runDir) throws IOException {
    List<Double> losses = new ArrayList<>();
    for (var line : RunHistory.read(runDir).steps()) {
      int step = (int) line.number("step");
      while (losses.size() <= step) {
        losses.add(Double.NaN);
      }
      losses.set(step, line.number("train_loss"));
    }
    return losses.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
