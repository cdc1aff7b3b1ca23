package dptrain.deploy.examples;

import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.train.RbfLearning;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lecture's RBF networks on two spirals: a layer of K Gaussian units and a softmax output.
 * 2-step learning places the centres and widths by k-means++ and Lloyd (data-parallel on the
 * workers) and then fits only the output weights; 3-step goes on to fit everything. With few
 * units the fixed centres cannot carve the spirals, and moving them is what makes the difference.
 */
@Command(name = "rbf", mixinStandardHelpOptions = true,
    description = {"RBF networks on two spirals: 2-step (k-means++ centres and widths, then the output weights)",
        "against 3-step learning (then everything), for a few numbers of units. Prints the table."})
public final class RbfExample implements Callable<Integer> {
  @Option(names = "--units", split = ",", description = "Numbers of RBF units (default 6,10,20).")
  List<Integer> units = List.of(6, 10, 20);

  @Option(names = "--epochs", description = "Epochs of each training step (default 50).")
  int epochs = 50;

  @Option(names = "--run-dir", description = "Where the runs go (default: a temporary folder).")
  Path runDir;

  /** One network's test scores after step 2 (2-step learning) and after step 3 (3-step learning). */
  public record Row(int units, TrainingOutcome.Finished twoStep, TrainingOutcome.Finished threeStep) {}

  @Override
  public Integer call() throws Exception {
    Path root = runDir != null ? runDir : Files.createTempDirectory("dptrain-rbf");
    System.out.println("| RBF units | 2-step test loss | 2-step test accuracy | 3-step test loss | 3-step test accuracy |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (int k : units) {
      Row row = run(root.resolve("units-" + k), k, epochs);
      System.out.println(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f | %.4f |", k, row.twoStep().testLoss(),
          row.twoStep().testAccuracy(), row.threeStep().testLoss(), row.threeStep().testAccuracy()));
    }
    return 0;
  }

  /** 3-step learning of a 2-K:rbf-2 network; its second step is 2-step learning's result. */
  public static Row run(Path root, int units, int epochs) throws Exception {
    Map<String, Object> keys = new java.util.HashMap<>(Map.of("data", "synthetic:spirals", "model", "2-" + units + ":rbf-2",
        "rbf", "3-step", "lr", 0.01, "batch", 50, "epochs", epochs, "eval-every", epochs, "workers", 2, "ps-shards", 1,
        "run-dir", root.toString()));
    keys.put("checkpoint-epoch-end", false);
    TrainConfig base = TrainConfig.fromKeys(keys);
    List<TrainingOutcome.Finished> results = new ArrayList<>();
    for (TrainConfig stage : RbfLearning.stages(base, root)) {
      results.add(new TrainingRun(stage).trainToEnd(units + " units"));
    }
    return new Row(units, results.get(1), results.get(2));
  }
}
