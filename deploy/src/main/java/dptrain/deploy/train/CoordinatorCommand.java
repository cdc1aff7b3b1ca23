package dptrain.deploy.train;

import dptrain.deploy.cluster.ClusterRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dptrain coordinator}: the coordinator node of a multi-host cluster, running one job. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a training job on a real cluster: this node is the seed node (roles coordinator and",
        "ps); it waits for --workers worker nodes ('dptrain worker --seed-nodes akka://dptrain@HOST:PORT'",
        "on other hosts), trains, and writes the run folder here. Takes every option of 'train'."})
public final class CoordinatorCommand implements Callable<Integer> {
  @Mixin
  TrainOptions options;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise to the workers (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "25520", description = "Port to bind (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() {
    return new TrainingRun(options.resolve()).run(settings -> ClusterRunner.runWithRemoteWorkers(settings, host, port));
  }
}
