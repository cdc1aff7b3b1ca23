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
 * {@code dptrain bench compression}: the default job with each gradient compression, side by
 * side: gradient bytes each worker sends per step, the reduction against none, samples/s and
 * test accuracy.
 */
@Command(name = "compression", mixinStandardHelpOptions = true,
    description = {"Trains the default job with each --compression and prints the bytes each worker sends per",
        "step, how many times fewer than uncompressed, samples/s and test accuracy."})
public final class CompressionBench implements Callable<Integer> {
  @Option(names = "--compressions", split = ",", defaultValue = "none,fp16,bf16,topk:0.01",
      description = "Compressions (default ${DEFAULT-VALUE}); the first is the baseline.")
  List<String> compressions;

  @Option(names = "--epochs", defaultValue = "10", description = "Epochs each (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--workers", defaultValue = "4", description = "Workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--seeds", split = ",", defaultValue = "0", description = {
      "Seeds to train each compression with; accuracy is their mean (default ${DEFAULT-VALUE})."})
  List<Long> seeds;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("dptrain-bench-compression");
    System.out.println(String.format(Locale.ROOT, "%-16s %18s %10s %14s %10s  %s", "compression", "bytes_per_worker_step",
        "fewer_x", "samples_per_s", "test_acc", "per seed"));
    double baseline = Double.NaN;
    for (String compression : compressions) {
      double bytes = 0;
      double rate = 0;
      StringBuilder each = new StringBuilder();
      double accuracy = 0;
      for (long seed : seeds) {
        Path runDir = root.resolve(compression.replace(':', '-') + "-" + seed);
        Map<String, Object> keys = new HashMap<>(Map.of("compression", compression, "epochs", epochs, "workers", workers,
            "seed", seed, "run-dir", runDir.toString()));
        keys.put("workers-per-node", 1); // one lane per worker node, as the numbers in the README were measured
        var f = BenchRuns.train(compression, keys);
        if (f == null) {
          return 1;
        }
        bytes += RunSummary.of(runDir).number("gradient_bytes_per_step_per_worker") / seeds.size();
        rate += f.samplesPerSecond() / seeds.size();
        accuracy += f.testAccuracy() / seeds.size();
        each.append(String.format(Locale.ROOT, " %.4f", f.testAccuracy()));
      }
      if (Double.isNaN(baseline)) {
        baseline = bytes;
      }
      System.out.println(String.format(Locale.ROOT, "%-16s %18.0f %10.1f %14.0f %10.4f %s", compression, bytes, baseline / bytes,
          rate, accuracy, each));
    }
    return 0;
  }
}
