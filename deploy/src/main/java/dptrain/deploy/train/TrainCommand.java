package dptrain.deploy.train;

import dptrain.deploy.cluster.ClusterRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dptrain train}: trains a model data-parallel on a local cluster and writes a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains a multi-layer perceptron data-parallel: a coordinator node and N worker nodes on",
        "127.0.0.1 (parameter-server shards beside the workers), talking through Akka remoting.",
        "Shows a progress bar per epoch on a terminal (one line per epoch otherwise); the last line is",
        "'final test_loss=<x> test_accuracy=<x> samples_per_s=<x>'.",
        "Every option is also a key of a HOCON --config file (same name without '--'); flags win.",
        "Exit codes: 0 trained, 1 training failed, 2 bad input."})
public final class TrainCommand implements Callable<Integer> {
  @Mixin
  TrainOptions options;

  @Mixin
  dptrain.deploy.dashboard.DashboardOptions dashboard;

  @Mixin
  dptrain.deploy.console.ConsoleOptions console;

  @Override
  public Integer call() {
    TrainConfig config = options.resolve();
    try (var output = dptrain.deploy.console.RunConsole.open(console.mode())) {
      return new TrainingRun(config).run(settings -> output.following(settings.runDir(),
          () -> ClusterRunner.run(settings, config.localCluster(), settings.runDir(), dashboard)));
    }
  }
}
