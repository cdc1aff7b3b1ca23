package dptrain.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dptrain bench modes}: the default job (Fashion-MNIST, 4 workers) in each consistency
 * mode, one after the other in this run: samples/s, staleness, dropped micro-batches and test
 * accuracy side by side.
 */
@Command(name = "modes", mixinStandardHelpOptions = true,
    description = {"Trains the default job in each consistency mode and prints samples/s, mean staleness,",
        "dropped micro-batches and test accuracy side by side."})
public final class ModesBench implements Callable<Integer> {
  @Option(names = "--modes", split = ",", defaultValue = "sync,async,ssp,backup", description = "Modes (default ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--epochs", defaultValue = "10", description = "Epochs per mode (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--workers", defaultValue = "4", description = "Workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--staleness", defaultValue = "2", description = "ssp's bound (default ${DEFAULT-VALUE}).")
  int staleness;

  @Option(names = "--backup-workers", defaultValue = "1", description = "backup's b (default ${DEFAULT-VALUE}).")
  int backupWorkers;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("dptrain-bench-modes");
    System.out.println(String.format(Locale.ROOT, "%-8s %14s %14s %10s %10s %10s", "mode", "samples_per_s", "mean_staleness",
        "dropped", "test_acc", "wall_s"));
    for (String mode : modes) {
      Map<String, Object> keys = new HashMap<>(Map.of("mode", mode, "epochs", epochs, "workers", workers,
          "staleness", staleness, "backup-workers", backupWorkers, "run-dir", root.resolve(mode).toString()));
      keys.put("workers-per-node", 1); // one lane per worker node, as the numbers in the README were measured
      long start = System.nanoTime();
      var f = BenchRuns.train(mode, keys);
      double wall = (System.nanoTime() - start) / 1e9;
      if (f == null) {
        return 1;
      }
      var summary = RunSummary.of(root.resolve(mode));
      double stale = summary.number("mean_staleness");
      System.out.println(String.format(Locale.ROOT, "%-8s %14.0f %14s %10.0f %10.4f %10.1f", mode, f.samplesPerSecond(),
          Double.isNaN(stale) ? "-" : String.format(Locale.ROOT, "%.2f", stale), summary.number("dropped_micro_batches"),
          f.testAccuracy(), wall));
    }
    return 0;
  }
}
