package dptrain.deploy.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the per-step training losses back from a run folder's metrics.jsonl. */
final class StepLosses {
  private static final Pattern STEP = Pattern.compile("\"type\":\"step\",\"step\":(\\d+),.*\"train_loss\":([^,}]+)");

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

  static double[] read(Path runDir) throws IOException {
    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      Matcher m = STEP.matcher(line);
      if (m.find()) {
        int step = Integer.parseInt(m.group(1));
        while (losses.size() <= step) {
          losses.add(Double.NaN);
        }
        losses.set(step, m.group(2).equals("null") ? Double.NaN : Double.parseDouble(m.group(2)));
      }
    }
    return losses.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
