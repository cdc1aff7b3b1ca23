package dptrain.deploy.bench;

import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainingRun;
import java.util.Map;

/** One job of a benchmark, from keys as in reference.conf; a failure is printed with what it was. */
final class BenchRuns {
  private BenchRuns() {}

  /** The finished job, or null after printing why {@code what} failed. */
  static TrainingOutcome.Finished train(String what, Map<String, Object> keys) {
    TrainingOutcome outcome = new TrainingRun(TrainConfig.fromKeys(keys)).train();
    if (outcome instanceof TrainingOutcome.Finished finished) {
      return finished;
    }
    System.out.println(what + " failed: " + ((TrainingOutcome.Failed) outcome).reason());
    return null;
  }
}
