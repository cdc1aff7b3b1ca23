package dptrain.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bench compare}'s numbers per system, the console table with dptrain's ratios, and the CSV. */
final class CompareTable {
  private static final Pattern EPOCH_RECORD = Pattern.compile(
      "\"type\":\"epoch\",\"epoch\":(\\d+),.*\"elapsed_s\":([0-9.eE+-]+),\"epoch_samples\":(\\d+)");

  private CompareTable() {}

  /**
   * One system's run: samples/s of its best epoch and over all epochs (training loops only), the
   * wall seconds from its start to the first epoch at the target accuracy and the training seconds
   * to it (NaN when never reached), the last test accuracy; {@code failure} when it did not finish.
   */
  record Measured(double bestSamplesPerSecond, double meanSamplesPerSecond, double wallToTarget, double trainToTarget,
      double finalAccuracy, int epochs, String failure) {}

  static Measured measure(Contender contender, PeerProcess.Result result, double target) throws IOException {
    List<PeerProcess.Epoch> epochs = contender.isDptrain() ? withTrainTimes(result.epochs(), contender.runDir())
        : result.epochs();
    double best = 0;
    double seconds = 0;
    long samples = 0;
    double wallToTarget = Double.NaN;
    double trainToTarget = Double.NaN;
    for (var e : epochs) {
      var line = e.line();
      best = Math.max(best, line.samples() / line.trainSeconds());
      seconds += line.trainSeconds();
      samples += line.samples();
      if (Double.isNaN(wallToTarget) && line.testAccuracy() >= target) {
        wallToTarget = e.wallSeconds();
        trainToTarget = seconds;
      }
    }
    String failure = result.failure() != null ? result.failure() + ": " + String.join(" | ", result.lastLines())
        : epochs.isEmpty() ? "printed no epoch" : null;
    double last = epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).line().testAccuracy();
    return new Measured(best, seconds > 0 ? samples / seconds : 0, wallToTarget, trainToTarget, last, epochs.size(), failure);
  }

  /** dptrain's epoch lines with each epoch's training seconds and samples from the run's metrics.jsonl. */
  private static List<PeerProcess.Epoch> withTrainTimes(List<PeerProcess.Epoch> seen, Path runDir) throws IOException {
    Path metrics = runDir.resolve("metrics.jsonl");
    List<PeerProcess.Epoch> epochs = new ArrayList<>();
    if (!Files.exists(metrics)) {
      return epochs;
    }
    double previous = 0;
    int i = 0;
    for (String line : Files.readAllLines(metrics)) {
      Matcher m = EPOCH_RECORD.matcher(line);
      if (m.find() && i < seen.size()) {
        double elapsed = Double.parseDouble(m.group(2));
        var s = seen.get(i++);
        epochs.add(new PeerProcess.Epoch(new PeerProcess.EpochLine(s.line().epoch(), elapsed - previous,
            Long.parseLong(m.group(3)), s.line().testAccuracy()), s.wallSeconds()));
        previous = elapsed;
      }
    }
    return epochs;
  }

  static void print(Map<Contender, Measured> measured, double target) {
    String pct = String.format(Locale.ROOT, "%.0f%%", 100 * target);
    System.out.println(String.format(Locale.ROOT, "%-20s %-26s %12s %12s %12s %12s %9s", "system", "layout", "best_epoch/s",
        "mean/s", "wall_to_" + pct, "train_to_" + pct, "final_acc"));
    measured.forEach((c, m) -> System.out.println(m.failure() != null
        ? String.format(Locale.ROOT, "%-20s %-26s failed: %s", c.system(), c.layout(), m.failure())
        : String.format(Locale.ROOT, "%-20s %-26s %12.0f %12.0f %12s %12s %9.4f", c.system(), c.layout(),
            m.bestSamplesPerSecond(), m.meanSamplesPerSecond(), seconds(m.wallToTarget()), seconds(m.trainToTarget()),
            m.finalAccuracy())));
    double torchBest = bestOf(measured, "pytorch");
    double ddp = bestOf(measured, "pytorch ddp (gloo)");
    double dl4j = bestOf(measured, "dl4j");
    measured.forEach((c, m) -> {
      if (c.isDptrain() && m.failure() == null) {
        System.out.println(String.format(Locale.ROOT, "dptrain %s mean samples/s: %s PyTorch's fastest, %s DDP, %s DL4J",
            c.layout(), ratio(m.meanSamplesPerSecond(), torchBest), ratio(m.meanSamplesPerSecond(), ddp),
            ratio(m.meanSamplesPerSecond(), dl4j)));
      }
    });
  }

  static void writeCsv(Path file, Map<Contender, Measured> measured) throws IOException {
    List<String> lines = new ArrayList<>(List.of(
        "system,layout,best_epoch_samples_per_s,mean_samples_per_s,wall_s_to_target,train_s_to_target,final_accuracy,epochs,failure"));
    measured.forEach((c, m) -> lines.add(String.format(Locale.ROOT, "%s,%s,%.1f,%.1f,%.2f,%.2f,%.4f,%d,%s", c.system(),
        c.layout(), m.bestSamplesPerSecond(), m.meanSamplesPerSecond(), m.wallToTarget(), m.trainToTarget(),
        m.finalAccuracy(), m.epochs(), m.failure() == null ? "" : m.failure().replace(',', ';'))));
    Files.write(file, lines);
  }

  /** The highest mean samples/s among the finished runs of {@code system}, or NaN. */
  private static double bestOf(Map<Contender, Measured> measured, String system) {
    return measured.entrySet().stream().filter(e -> e.getKey().system().equals(system) && e.getValue().failure() == null)
        .mapToDouble(e -> e.getValue().meanSamplesPerSecond()).max().orElse(Double.NaN);
  }

  private static String ratio(double ours, double theirs) {
    return Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2fx", ours / theirs);
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "never" : String.format(Locale.ROOT, "%.1f s", s);
  }
}
