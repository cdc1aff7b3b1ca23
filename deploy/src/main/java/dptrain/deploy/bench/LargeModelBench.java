package dptrain.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dptrain bench large-model}: a model of about 100 million parameters (seven 4096-wide
 * layers) runs a few synchronous steps on 4 workers and 4 shards: every gradient and parameter
 * crosses in frame-sized chunks. Prints the step rate and the bytes moved per second.
 */
@Command(name = "large-model", mixinStandardHelpOptions = true,
    description = {"Runs a ~100M-parameter MLP for a few steps on local workers and shards and prints",
        "the parameters, seconds per step and gradient and parameter bytes moved per second."})
public final class LargeModelBench implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "784-4096-4096-4096-4096-4096-4096-4096-10",
      description = "Layers (default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--steps", defaultValue = "5", description = "Steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--workers", defaultValue = "4", description = "Workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--ps-shards", defaultValue = "4", description = "Shards (default ${DEFAULT-VALUE}).")
  int shards;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("dptrain-bench-large");
    Map<String, Object> keys = new HashMap<>(Map.of("model", model, "steps", steps, "workers", workers, "ps-shards", shards,
        "optimizer", "sgd", "lr", 0.01, "checkpoint-epoch-end", false, "run-dir", root.toString()));
    keys.put("workers-per-node", 1); // one lane per worker node, as the numbers in the README were measured
    long start = System.nanoTime();
    var f = BenchRuns.train("the large model", keys);
    double wall = (System.nanoTime() - start) / 1e9;
    if (f == null) {
      return 1;
    }
    long parameters = f.parameters().length();
    var summary = RunSummary.of(root);
    double gradientBytes = summary.number("gradient_bytes_per_step") * f.steps();
    // Each step also sends the whole new vector to every worker.
    double parameterBytes = (double) parameters * Float.BYTES * workers * f.steps();
    double seconds = f.steps() / Math.max(1e-9, f.samplesPerSecond() / 128.0);
    System.out.println(String.format(Locale.ROOT, "parameters=%d steps=%d workers=%d shards=%d", parameters, f.steps(),
        workers, shards));
    System.out.println(String.format(Locale.ROOT, "training_s=%.1f (wall %.1f s with set-up) s_per_step=%.2f", seconds, wall,
        seconds / f.steps()));
    System.out.println(String.format(Locale.ROOT, "gradient_bytes=%.0f parameter_bytes=%.0f moved_bytes_per_s=%.0f (%.1f MB/s)",
        gradientBytes, parameterBytes, (gradientBytes + parameterBytes) / seconds, (gradientBytes + parameterBytes) / seconds / 1e6));
    System.out.println("refused chunks: " + f.refusedChunks() + " (a frame error would have stalled or failed the job)");
    var split = MeasuredRun.of(f, summary, 128);
    System.out.println(String.format(Locale.ROOT, "mean step split (ms, measured in the code path): compute=%.0f encode=%.0f "
        + "decode=%.0f apply=%.0f transfer+wait=%.0f", split.computeMs(), split.encodeMs(), split.decodeMs(), split.applyMs(),
        split.otherMs()));
    return 0;
  }
}
