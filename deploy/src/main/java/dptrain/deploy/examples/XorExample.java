package dptrain.deploy.examples;

import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lecture's XOR experiment: a 2-4-1 sigmoid network with bce, SGD lr 0.1 momentum 0.99,
 * 1000 full-batch epochs, for many seeds, once with weights from U(-10, 10) and once from
 * N(0, 1/fan_in) (standard deviation 1/sqrt(fan_in): LeCun normal). Large uniform weights
 * saturate the sigmoids and some seeds never learn XOR; the scaled normal ones all do.
 */
@Command(name = "xor", mixinStandardHelpOptions = true,
    description = {"The lecture's XOR experiment: 2-4-1 sigmoid, bce, SGD lr 0.1 momentum 0.99, 1000 epochs,",
        "20 seeds, with U(-10, 10) weights and with N(0, 1/sqrt(fan_in)) weights. Prints the table."})
public final class XorExample implements Callable<Integer> {
  @Option(names = "--seeds", description = "Seeds 0..N-1 (default 20).")
  int seeds = 20;

  @Option(names = "--epochs", description = "Epochs (default 1000).")
  int epochs = 1000;

  @Option(names = "--run-dir", description = "Where the runs go (default: a temporary folder).")
  Path runDir;

  /** One initialisation's results over the seeds. */
  public record Row(String init, List<Long> failedSeeds, int seeds, double meanLoss) {}

  public static final List<String> INITS = List.of("uniform:10", "lecun-normal");

  @Override
  public Integer call() throws Exception {
    Path root = runDir != null ? runDir : Files.createTempDirectory("dptrain-xor");
    System.out.println("| weights | seeds that learn XOR | seeds that fail | mean final test loss |");
    System.out.println("| --- | --- | --- | --- |");
    for (String init : INITS) {
      Row row = run(root, init, seeds, epochs);
      System.out.println(String.format(Locale.ROOT, "| %s | %d of %d | %s | %.4f |",
          init.equals("uniform:10") ? "U(-10, 10)" : "N(0, 1/sqrt(fan_in))", row.seeds() - row.failedSeeds().size(),
          row.seeds(), row.failedSeeds().isEmpty() ? "none" : row.failedSeeds().toString(), row.meanLoss()));
    }
    return 0;
  }

  /** Trains seeds 0..seeds-1 with weights from {@code init}; a seed fails when it does not classify all 4 points. */
  public static Row run(Path root, String init, int seeds, int epochs) throws Exception {
    List<Long> failed = new ArrayList<>();
    double lossSum = 0;
    for (long seed = 0; seed < seeds; seed++) {
      Map<String, Object> keys = new HashMap<>(Map.of("data", "synthetic:xor", "model", "2-4-1", "activation", "sigmoid",
          "loss", "bce", "optimizer", "sgd", "lr", 0.1, "momentum", 0.99, "batch", "all", "shuffle", false));
      keys.putAll(Map.of("epochs", epochs, "eval-every", epochs, "workers", 1, "ps-shards", 1, "seed", seed,
          "init", init, "checkpoint-epoch-end", false, "run-dir", root.resolve(init.replace(':', '-') + "-" + seed).toString()));
      var finished = new TrainingRun(TrainConfig.fromKeys(keys)).trainToEnd("seed " + seed);
      lossSum += finished.testLoss();
      if (finished.testAccuracy() < 1.0) {
        failed.add(seed);
      }
    }
    return new Row(init, failed, seeds, lossSum / seeds);
  }
}
