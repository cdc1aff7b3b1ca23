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
 * {@code dptrain bench throughput}: samples per second of synchronous training of the default
 * job (Fashion-MNIST, 784-256-128-10, Adam, batch 128) for several worker counts, one after the
 * other in this run, so the numbers compare on the same machine state.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = {"Prints samples/s of the default training job for 1, 2 and 4 local workers",
        "(training time only: set-up and evaluations excluded), and where a mean step's time went:",
        "compute (the slowest micro-batch's gradient), encode (its push), decode and apply (the",
        "slowest shard's), other (transfer and waiting), in milliseconds."})
public final class ThroughputBench implements Callable<Integer> {
  @Option(names = "--workers", split = ",", defaultValue = "1,2,4", description = "Worker counts to measure (default ${DEFAULT-VALUE}).")
  List<Integer> workerCounts;

  @Option(names = "--workers-per-node", split = ",", defaultValue = "1",
      description = "Compute lanes per worker node to measure, each with every worker count (default ${DEFAULT-VALUE}).")
  List<Integer> lanesPerNode;

  @Option(names = "--steps", defaultValue = "1500", description = "Steps per measurement (default ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--warmup-steps", defaultValue = "1000",
      description = "Steps of a first, unreported job, so the JIT has compiled the hot paths (default ${DEFAULT-VALUE}).")
  long warmupSteps;

  @Option(names = "--batch", defaultValue = "128", description = "Global batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--ps-shards", defaultValue = "2", description = "Parameter-server shards (default ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--ps-placement", defaultValue = "workers", description = "workers | coordinator (default ${DEFAULT-VALUE}).")
  String placement;

  @Option(names = "--processes", description = "Run each worker in its own JVM.")
  boolean processes;

  @Option(names = "--data", defaultValue = "fashion-mnist", description = "Data source (default ${DEFAULT-VALUE}).")
  String data;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("dptrain-bench");
    if (warmupSteps > 0 && !processes) {
      System.out.println("warming up (" + warmupSteps + " steps, 1 worker, not reported) ...");
      if (run(root.resolve("warmup"), 1, 1, warmupSteps) == null) {
        return 1;
      }
    }
    System.out.println(String.format(Locale.ROOT, "%-6s %-6s %-10s %7s %14s %9s %8s %8s %8s %8s %8s %8s", "nodes",
        "lanes", "mode", "steps", "samples_per_s", "test_acc", "step_ms", "compute", "encode", "decode", "apply", "other"));
    for (int lanes : lanesPerNode) {
      for (int workers : workerCounts) {
        var run = run(root.resolve("w" + workers + "x" + lanes), workers, lanes, steps);
        if (run == null) {
          return 1;
        }
        System.out.println(String.format(Locale.ROOT, "%-6d %-6d %-10s %7d %14.0f %9.4f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f",
            workers, lanes, processes ? "processes" : "in-jvm", run.steps(), run.samplesPerSecond(), run.testAccuracy(),
            run.stepMs(), run.computeMs(), run.encodeMs(), run.decodeMs(), run.applyMs(), run.otherMs()));
      }
    }
    return 0;
  }

  private MeasuredRun run(Path runDir, int workers, int lanes, long stepCount) throws java.io.IOException {
    Map<String, Object> keys = new HashMap<>();
    keys.putAll(Map.of("workers", workers, "steps", stepCount, "batch", batch, "ps-shards", shards, "data", data,
        "ps-placement", placement, "run-dir", runDir.toString(), "workers-per-node", lanes, "processes", processes));
    return MeasuredRun.train(workers + " worker node(s) x " + lanes + " lane(s)", keys, batch);
  }
}
