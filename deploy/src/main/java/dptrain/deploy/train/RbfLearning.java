package dptrain.deploy.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lecture's learning of an RBF network in steps, each a job of its own on the cluster:
 * 1. place the centres and widths by data-parallel k-means++ and Lloyd; 2. train the output
 * weights with the centres and widths frozen; 3. (3-step only) train everything from there.
 * Each job starts from the parameters the one before wrote to its run folder.
 */
public final class RbfLearning {
  private RbfLearning() {}

  /** The jobs of {@code base} (whose {@code rbf} is 2-step or 3-step), in order, with their run folders. */
  public static List<TrainConfig> stages(TrainConfig base, Path runDir) {
    List<TrainConfig> stages = new ArrayList<>();
    Path placed = runDir.resolve("1-place");
    Path output = runDir.resolve("2-output");
    stages.add(base.with(Map.of("rbf", "none", "rbf-stage", "place", "run-dir", placed.toString(), "export-params", "")));
    stages.add(base.with(Map.of("rbf", "none", "rbf-stage", "output", "run-dir", output.toString(),
        "init-params", placed.resolve("params.npy").toString())));
    if (base.rbf().equals("3-step")) {
      stages.add(base.with(Map.of("rbf", "none", "rbf-stage", "", "run-dir", runDir.resolve("3-all").toString(),
          "init-params", output.resolve("params.npy").toString())));
    }
    return stages;
  }

  /** Runs every stage with {@code runner} (which writes params.npy to the stage's run folder); the first failure's exit code ends it. */
  static int run(TrainConfig base, java.util.function.ToIntFunction<TrainConfig> runner) {
    Path runDir = base.runDir() != null ? base.runDir()
        : Path.of("runs", java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    String[] what = {"step 1: centres and widths by k-means++ and Lloyd", "step 2: output weights, centres frozen",
        "step 3: everything"};
    List<TrainConfig> stages = stages(base, runDir);
    for (int s = 0; s < stages.size(); s++) {
      System.out.println("rbf " + base.rbf() + " " + what[s]);
      int code = runner.applyAsInt(stages.get(s));
      if (code != 0) {
        return code;
      }
    }
    return 0;
  }
}
