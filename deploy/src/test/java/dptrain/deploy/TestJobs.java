package dptrain.deploy;

import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import dptrain.deploy.cluster.ClusterRunner;
import dptrain.deploy.cluster.LocalCluster;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainingRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Builds jobs through the same validation the command line uses, and runs them. */
public final class TestJobs {
  private TestJobs() {}

  /** Settings from flags given as alternating key/value pairs (keys as in reference.conf). */
  public static JobSettings settings(Path runDir, Object... keyValues) {
    Map<String, Object> flags = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      flags.put((String) keyValues[i], keyValues[i + 1]);
    }
    flags.put("run-dir", runDir.toString());
    // Jobs of many tiny epochs would write a checkpoint each; the tests of checkpoints ask for them.
    flags.putIfAbsent("checkpoint-epoch-end", false);
    // One compute lane unless a test asks for more: the cluster tests are about nodes.
    flags.putIfAbsent("workers-per-node", 1);
    return new TrainingRun(TrainConfig.fromKeys(flags)).prepare();
  }

  public static TrainingOutcome.Finished train(JobSettings settings, boolean processes) {
    return train(settings, new LocalCluster(processes, 1));
  }

  /** On a local cluster laid out as {@code cluster} (processes or not, compute lanes per node). */
  public static TrainingOutcome.Finished train(JobSettings settings, LocalCluster cluster) {
    TrainingOutcome outcome = ClusterRunner.run(settings, cluster, settings.runDir());
    if (outcome instanceof TrainingOutcome.Failed failed) {
      throw new AssertionError("training failed: " + failed.reason());
    }
    return (TrainingOutcome.Finished) outcome;
  }
}
