package dptrain.deploy.compare;

import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.UsageException;
import dptrain.deploy.report.Charts;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainOptions;
import dptrain.deploy.train.TrainingRun;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dptrain compare}: trains the same model on the same data from the same seed once per
 * optimizer, draws one chart of training loss per step (one line each) and prints the table of
 * final losses, as the lectures' comparison figures do.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains one model with several optimizers on the same data and seed, one after the other on",
        "the same local cluster shape, then writes loss.png (training loss per step, one line per",
        "optimizer) and prints a table of final losses. Each optimizer is NAME[:option=value:...],",
        "e.g. --optimizers sgd:lr=0.1 momentum:momentum=0.9 adam; the other options apply to all.",
        "Exit codes: 0 compared, 1 a run failed, 2 bad input."})
public final class CompareCommand implements Callable<Integer> {
  @Option(names = "--optimizers", arity = "1..*", required = true, paramLabel = "NAME[:K=V..]",
      description = "The optimizers to compare, each with its own options after ':'.")
  List<String> optimizers;

  @Option(names = "--chart", paramLabel = "FILE.png", description = "Where the chart goes (default <run-dir>/loss.png).")
  Path chart;

  @Option(names = "--smooth", paramLabel = "STEPS",
      description = "Plot and report the moving average of the loss over this many steps (default: 1/50 of the run; 1 = raw).")
  Integer smooth;

  @Mixin
  TrainOptions options;

  /** One optimizer to run: its label and the keys that set it. */
  record Variant(String label, Map<String, Object> keys) {
    static Variant parse(String text) {
      String[] parts = text.split(":");
      Map<String, Object> keys = new LinkedHashMap<>();
      keys.put("optimizer", parts[0].trim());
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        if (kv.length != 2 || kv[0].isBlank()) {
          throw new UsageException("--optimizers: '" + parts[i] + "' in '" + text + "' is not option=value");
        }
        keys.put(kv[0].trim(), kv[1].trim());
      }
      return new Variant(text, keys);
    }
  }

  @Override
  public Integer call() throws Exception {
    List<Variant> variants = optimizers.stream().map(Variant::parse).toList();
    TrainConfig base = options.resolve();
    Path root = base.runDir() != null ? base.runDir()
        : Path.of("runs", "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    List<TrainConfig> configs = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      Map<String, Object> keys = new LinkedHashMap<>(variants.get(i).keys());
      keys.put("run-dir", root.resolve(i + "-" + variants.get(i).keys().get("optimizer")).toString());
      configs.add(options.resolveWith(keys));
    }
    Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
    boolean positive = true;
    List<String> rows = new ArrayList<>();
    int window = 1;
    for (int i = 0; i < variants.size(); i++) {
      TrainConfig config = configs.get(i);
      TrainingOutcome outcome = new TrainingRun(config).train();
      if (outcome instanceof TrainingOutcome.Failed failed) {
        System.err.println("error: " + variants.get(i).label() + ": " + failed.reason());
        return 1;
      }
      var finished = (TrainingOutcome.Finished) outcome;
      double[] raw = StepLosses.read(config.runDir());
      window = smooth != null ? Math.max(1, smooth) : Math.max(1, raw.length / 50);
      double[] losses = StepLosses.smooth(raw, window);
      List<Charts.Point> points = new ArrayList<>();
      for (int k = 0; k < losses.length; k++) {
        points.add(new Charts.Point(k, losses[k]));
        positive &= !(losses[k] <= 0);
      }
      series.put(variants.get(i).label(), points);
      rows.add(String.format(Locale.ROOT, "| %s | %.6g | %.6g | %s | %.0f |", variants.get(i).label(),
          losses.length == 0 ? Double.NaN : losses[losses.length - 1], finished.testLoss(),
          Double.isNaN(finished.testAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", finished.testAccuracy()),
          finished.samplesPerSecond()));
    }
    Path png = chart != null ? chart : root.resolve("loss.png");
    // Losses span decades: a log axis, unless a loss (e.g. a regression's with negative targets) is not positive.
    Charts.lines(png, "training loss per step, " + base.data().source()
        + (window > 1 ? ", moving average over " + window + " steps" : ""), "step",
        positive ? "training loss (log scale)" : "training loss", series, new Charts.Style(false, positive));
    System.out.println("| optimizer | final train loss (mean of last " + window + " steps) | test loss | test accuracy | samples/s |");
    System.out.println("| --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
    System.out.println("chart: " + png);
    return 0;
  }
}
