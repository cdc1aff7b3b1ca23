package dptrain.deploy.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a run's charts into its {@code charts/} folder from its {@link RunHistory}: loss and
 * accuracy per epoch, loss and learning rate per step, samples/s in all and per worker, gradient
 * bytes per step, staleness (asynchronous modes) and the mean step's split. A chart whose data
 * the run does not have is not drawn.
 */
public final class RunCharts {
  /** Step charts keep at most this many points: a line of 4,690 steps reads the same at 1,500. */
  private static final int MAX_POINTS = 1500;

  /** A drawn chart: its title and its file. */
  public record Chart(String title, Path file) {}

  private RunCharts() {}

  public static List<Chart> draw(RunHistory history, Path runDir) throws IOException {
    Path folder = runDir.resolve("charts");
    List<Chart> charts = new ArrayList<>();
    var epochs = history.epochs();
    var steps = thinned(history.steps());
    Map<String, List<Charts.Point>> losses = new LinkedHashMap<>();
    putIfAny(losses, "train loss", epochs, "epoch", "train_loss");
    putIfAny(losses, "test loss", epochs, "epoch", "test_loss");
    putIfAny(losses, "validation loss", epochs, "epoch", "validation_loss");
    lines(charts, folder, "loss-per-epoch.png", "Loss per epoch", "epoch", "loss", losses, true);
    Map<String, List<Charts.Point>> accuracy = new LinkedHashMap<>();
    putIfAny(accuracy, "test accuracy", epochs, "epoch", "test_accuracy");
    putIfAny(accuracy, "validation accuracy", epochs, "epoch", "validation_accuracy");
    lines(charts, folder, "accuracy-per-epoch.png", "Accuracy per epoch", "epoch", "accuracy", accuracy, true);
    lines(charts, folder, "loss-per-step.png", "Training loss per step", "step", "train loss",
        single("train loss", steps, "step", "train_loss"), false);
    lines(charts, folder, "learning-rate.png", "Learning rate per step", "step", "learning rate",
        single("learning rate", steps, "step", "lr"), false);
    lines(charts, folder, "samples-per-second.png", "Samples per second, per epoch", "epoch", "samples/s",
        throughput(history.steps()), true);
    lines(charts, folder, "gradient-bytes.png", "Gradient bytes the shards received, per step", "step", "bytes",
        single("gradient bytes", steps, "step", "gradient_bytes"), false);
    if (history.asynchronous()) {
      lines(charts, folder, "staleness.png", "Staleness of each applied update", "update", "updates behind",
          single("staleness", steps, "step", "staleness"), false);
    }
    StepSplit.of(history).ifPresent(split -> {
      try {
        Path file = folder.resolve("step-split.png");
        Charts.stackedBars(file, "Where the mean step's time went", "ms per step", StepSplit.PARTS,
            Map.of("mean step (" + String.format(java.util.Locale.ROOT, "%.3f", split.totalMs()) + " ms)", split.parts()));
        charts.add(new Chart("Where the mean step's time went", file));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return charts;
  }

  /**
   * Samples per second in each epoch, from the steps' clock (not the evaluation lines' running
   * mean): all workers together, and per worker at the epoch's worker count.
   */
  static Map<String, List<Charts.Point>> throughput(List<JsonLine> steps) {
    // Per epoch: samples, workers at its last step, the clock when it began (the previous step's end) and ended.
    Map<Long, double[]> byEpoch = new LinkedHashMap<>();
    double previousEnd = 0;
    for (JsonLine step : steps) {
      double began = previousEnd;
      double[] epoch = byEpoch.computeIfAbsent((long) step.number("epoch"), e -> new double[] {0, 1, began, began});
      epoch[0] += step.number("samples");
      epoch[1] = step.has("workers") ? Math.max(1, step.number("workers")) : 1;
      previousEnd = step.number("elapsed_s");
      epoch[3] = previousEnd;
    }
    List<Charts.Point> all = new ArrayList<>();
    List<Charts.Point> perWorker = new ArrayList<>();
    byEpoch.forEach((epoch, span) -> {
      double seconds = span[3] - span[2];
      if (seconds > 0) {
        all.add(new Charts.Point(epoch + 1, span[0] / seconds));
        perWorker.add(new Charts.Point(epoch + 1, span[0] / seconds / span[1]));
      }
    });
    Map<String, List<Charts.Point>> lines = new LinkedHashMap<>();
    if (!all.isEmpty()) {
      lines.put("all workers", all);
      lines.put("per worker", perWorker);
    }
    return lines;
  }

  private static void lines(List<Chart> charts, Path folder, String name, String title, String xLabel, String yLabel,
      Map<String, List<Charts.Point>> lines, boolean fewPoints) throws IOException {
    if (lines.values().stream().allMatch(List::isEmpty)) {
      return;
    }
    Path file = folder.resolve(name);
    Charts.lines(file, title, xLabel, yLabel, lines, fewPoints && lines.values().stream().allMatch(l -> l.size() <= 60)
        ? Charts.Style.FEW_POINTS : Charts.Style.MANY_POINTS);
    charts.add(new Chart(title, file));
  }

  /** A line of {@code y} against {@code x} over the records that have {@code y}, under {@code name}; none if no record has it. */
  private static void putIfAny(Map<String, List<Charts.Point>> lines, String name, List<JsonLine> records, String x, String y) {
    List<Charts.Point> points = records.stream().filter(r -> r.has(y)).map(r -> new Charts.Point(r.number(x), r.number(y))).toList();
    if (!points.isEmpty()) {
      lines.put(name, points);
    }
  }

  private static Map<String, List<Charts.Point>> single(String name, List<JsonLine> records, String x, String y) {
    Map<String, List<Charts.Point>> lines = new LinkedHashMap<>();
    putIfAny(lines, name, records, x, y);
    return lines;
  }

  /** Every k-th record, so that at most {@link #MAX_POINTS} remain, and the last. */
  static List<JsonLine> thinned(List<JsonLine> records) {
    int stride = Math.max(1, (records.size() + MAX_POINTS - 1) / MAX_POINTS);
    List<JsonLine> kept = new ArrayList<>();
    for (int i = 0; i < records.size(); i += stride) {
      kept.add(records.get(i));
    }
    if (!records.isEmpty() && kept.get(kept.size() - 1) != records.get(records.size() - 1)) {
      kept.add(records.get(records.size() - 1));
    }
    return kept;
  }
}
